package io.milvus.migration.milvus2;

import io.milvus.client.MilvusServiceClient;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DescribeCollectionResponse;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.ImportState;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.ImportStatus;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.TargetCollection;
import io.milvus.param.IndexType;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.bulkinsert.BulkInsertParam;
import io.milvus.param.bulkinsert.GetBulkInsertStateParam;
import io.milvus.param.collection.CreateCollectionParam;
import io.milvus.param.collection.DescribeCollectionParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.FieldType;
import io.milvus.param.collection.FlushParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.dml.InsertParam;
import io.milvus.param.index.CreateIndexParam;
import io.milvus.response.GetBulkInsertStateWrapper;
import io.milvus.response.GetCollStatResponseWrapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One collection of a {@link MilvusTarget} being loaded. */
final class MilvusCollection implements TargetCollection {
    private static final Logger LOG = LoggerFactory.getLogger(MilvusCollection.class);

    private final MilvusTarget.Builder settings;
    private final MilvusServiceClient client;
    private final CollectionSchema schema;
    private final boolean created;
    /** Partitions known to exist, so each is checked or created once. */
    private final java.util.Set<String> partitions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private MilvusCollection(MilvusTarget.Builder settings, MilvusServiceClient client, CollectionSchema schema,
                             boolean created) {
        this.settings = settings;
        this.client = client;
        this.schema = schema;
        this.created = created;
    }

    /** The collection property that names the job which created a collection, so that a resumed job knows it. */
    static final String JOB_PROPERTY = "milvus.migration.job";

    static MilvusCollection open(MilvusTarget target, MilvusServiceClient client, CollectionSchema schema,
                                 String jobId, boolean resume) {
        var s = target.settings;
        String name = schema.name();
        boolean exists = check(client.hasCollection(HasCollectionParam.newBuilder().withCollectionName(name)
                .build()), ErrorCode.TARGET_UNAVAILABLE, "check collection " + name + " on " + target.describe());
        if (exists) {
            DescribeCollectionResponse d = describe(client, name);
            boolean ours = d.getPropertiesList().stream().anyMatch(p -> p.getKey().equals(JOB_PROPERTY)
                    && p.getValue().equals(jobId));
            if (ours || resume) {
                // created by this job in an earlier attempt, or appended to since its first attempt
                checkCompatible(d, schema, target);
                return new MilvusCollection(s, client, schema, ours);
            }
            switch (s.ifExists) {
                case FAIL -> throw new MigrationException(ErrorCode.COLLECTION_EXISTS, "collection " + name
                        + " already exists in " + target.describe() + "; choose to append to it or to recreate it");
                case APPEND -> {
                    checkCompatible(d, schema, target);
                    return new MilvusCollection(s, client, schema, false);
                }
                case RECREATE -> {
                    LOG.info("dropping existing collection {} to recreate it", name);
                    check(client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(name).build()),
                            ErrorCode.TARGET_REJECTED, "drop collection " + name);
                }
            }
        }
        var create = CreateCollectionParam.newBuilder()
                .withCollectionName(name)
                .withDescription(s.description != null ? s.description : schema.description())
                .withShardsNum(s.shards)
                .withEnableDynamicField(s.dynamicField)
                .withProperty(JOB_PROPERTY, jobId);
        for (var f : schema.fields()) {
            var ft = FieldType.newBuilder().withName(f.name()).withDataType(milvusType(f.type()))
                    .withPrimaryKey(f.primaryKey());
            if (f.primaryKey()) {
                ft.withAutoID(false);
            }
            if (f.type().isVector()) {
                ft.withDimension(f.dimension());
            }
            if (f.type() == io.milvus.migration.spi.DataType.VARCHAR) {
                ft.withMaxLength(f.maxLength() > 0 ? f.maxLength() : 65535);
            }
            create.addFieldType(ft.build());
        }
        check(client.createCollection(create.build()), ErrorCode.TARGET_REJECTED, "create collection " + name);
        LOG.info("created collection {} in {} for job {}", name, target.describe(), jobId);
        return new MilvusCollection(s, client, schema, true);
    }

    @Override
    public String name() {
        return schema.name();
    }

    @Override
    public boolean created() {
        return created;
    }

    @Override
    public long rowCount() {
        check(client.flush(FlushParam.newBuilder().addCollectionName(name()).build()), ErrorCode.TARGET_REJECTED,
                "flush " + name());
        return rowCount(client, name());
    }

    @Override
    public void insert(String partition, Batch batch, boolean replace) {
        ensurePartition(partition);
        int rows = batch.rowCount();
        long rowBytes = Math.max(1, batch.sizeInBytes() / Math.max(1, rows));
        int step = (int) Math.max(1, Math.min(rows, settings.insertBytes / rowBytes));
        for (int from = 0; from < rows; from += step) {
            int to = Math.min(rows, from + step);
            Batch part = from == 0 && to == rows ? batch : batch.slice(from, to);
            var fields = new ArrayList<InsertParam.Field>();
            part.columns().forEach((field, column) -> fields.add(new InsertParam.Field(field, values(column))));
            String what = (replace ? "upsert " : "insert ") + part.rowCount() + " rows into " + where(partition)
                    + " (batch ending at " + batch.position() + ")";
            if (replace) {
                var upsert = io.milvus.param.dml.UpsertParam.newBuilder().withCollectionName(name())
                        .withFields(fields);
                if (!partition.isEmpty()) {
                    upsert.withPartitionName(partition);
                }
                check(client.upsert(upsert.build()), ErrorCode.TARGET_REJECTED, what);
            } else {
                var insert = InsertParam.newBuilder().withCollectionName(name()).withFields(fields);
                if (!partition.isEmpty()) {
                    insert.withPartitionName(partition);
                }
                check(client.insert(insert.build()), ErrorCode.TARGET_REJECTED, what);
            }
        }
    }

    @Override
    public String submitImport(BulkFileGroup group, Storage staging) {
        ensurePartition(group.partition());
        List<String> files = paths(group, staging);
        var request = BulkInsertParam.newBuilder().withCollectionName(name()).withFiles(files);
        if (!group.partition().isEmpty()) {
            request.withPartitionName(group.partition());
        }
        var r = client.bulkInsert(request.build());
        check(r, ErrorCode.IMPORT_FAILED, "submit import of " + files + " into " + where(group.partition()));
        List<Long> tasks = r.getData().getTasksList();
        if (tasks.isEmpty()) {
            throw new MigrationException(ErrorCode.IMPORT_FAILED, "Milvus returned no import task for " + files);
        }
        return tasks.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    @Override
    public ImportStatus importStatus(String importId) {
        long rows = 0;
        boolean running = false;
        for (String task : importId.split(",")) {
            var state = new GetBulkInsertStateWrapper(check(client.getBulkInsertState(GetBulkInsertStateParam
                    .newBuilder().withTask(Long.parseLong(task)).build()), ErrorCode.IMPORT_FAILED,
                    "get state of import task " + task));
            ImportState st = state.getState();
            if (st == ImportState.ImportFailed || st == ImportState.ImportFailedAndCleaned) {
                String reason = state.getFailedReason();
                return new ImportStatus(ImportStatus.State.FAILED, rows, "task " + task + ": " + reason,
                        retryable(reason));
            }
            if (st == ImportState.ImportCompleted) {
                rows += state.getImportedCount();
            } else {
                running = true;
            }
        }
        return new ImportStatus(running ? ImportStatus.State.RUNNING : ImportStatus.State.COMPLETED, rows, "",
                false);
    }

    @Override
    public Optional<String> findImport(BulkFileGroup group, Storage staging) {
        List<String> files = paths(group, staging);
        var r = check(client.listBulkInsertTasks(io.milvus.param.bulkinsert.ListBulkInsertTasksParam.newBuilder()
                .withCollectionName(name()).build()), ErrorCode.IMPORT_FAILED, "list import tasks of " + name());
        for (var task : r.getTasksList()) {
            var state = new GetBulkInsertStateWrapper(task);
            String listed = state.getFiles();
            if (listed != null && sameFiles(listed, files) && state.getState() != ImportState.ImportFailed
                    && state.getState() != ImportState.ImportFailedAndCleaned) {
                return Optional.of(String.valueOf(state.getTaskID()));
            }
        }
        return Optional.empty();
    }

    /** Whether Milvus's list of a task's files (comma separated) is exactly {@code files}. */
    private static boolean sameFiles(String listed, List<String> files) {
        var a = new java.util.TreeSet<>(java.util.Arrays.stream(listed.replaceAll("[\\[\\]]", "").split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).toList());
        return a.equals(new java.util.TreeSet<>(files));
    }

    /**
     * Failures that come from a lost connection or storage, or from a Milvus restart (Milvus 2.3 marks the tasks it
     * was running "failed as service restarted" and removes their segments): the same files may import on another
     * try.
     */
    private static boolean retryable(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(java.util.Locale.ROOT);
        return r.contains("connection reset") || r.contains("connection refused") || r.contains("timeout")
                || r.contains("unavailable") || r.contains("eof") || r.contains("service restarted");
    }

    /**
     * The paths Milvus opens, after the configured prefix: files in local storage by absolute path (a Milvus with
     * local storage on the same machine opens them directly), others by key relative to Milvus's bucket.
     */
    private List<String> paths(BulkFileGroup group, Storage staging) {
        return group.keys().stream().map(k -> settings.importPathPrefix + staging.localPath(k).map(Object::toString)
                .orElse(k)).toList();
    }

    @Override
    public void finish() {
        finish(java.util.List.of());
    }

    /**
     * Builds the configured index, else the source's suggestion, else AUTOINDEX (BIN_FLAT for binary vectors),
     * with the vector field's metric, unless the settings say none or the field already has an index (an append);
     * then loads the collection unless told not to (by default only when it has an index).
     */
    @Override
    public void finish(java.util.List<io.milvus.migration.spi.IndexSpec> suggestions) {
        var vector = schema.fields().stream().filter(f -> f.type().isVector()).findFirst().orElseThrow();
        var suggested = suggestions.stream().filter(s -> s.field().map(vector.name()::equals).orElse(true))
                .findFirst();
        io.milvus.migration.spi.IndexSpec spec = chooseIndex(settings, vector, suggested).orElse(null);
        boolean indexed = false;
        if (spec != null) {
            // only a collection this job did not create can have an index already (asking Milvus about a missing
            // index makes the SDK log an error)
            var existing = created ? Optional.<io.milvus.migration.spi.IndexSpec>empty()
                    : new MilvusReader(() -> client, name()).index(name(), vector.name());
            if (existing.isPresent()) {
                LOG.info("{}.{} already has index {}; not building {}", name(), vector.name(), existing.get(), spec);
            } else {
                LOG.info("building index {} on {}.{}", spec, name(), vector.name());
                check(client.createIndex(CreateIndexParam.newBuilder().withCollectionName(name())
                        .withFieldName(vector.name())
                        .withIndexType(indexType(spec.type()))
                        .withMetricType(MetricType.valueOf(spec.metric().orElse(vector.metric()).name()))
                        .withExtraParam(settings.indexType != null ? settings.indexParams : spec.paramsJson())
                        .withSyncMode(true)
                        .build()), ErrorCode.TARGET_REJECTED, "create index " + spec + " on "
                        + name() + "." + vector.name());
            }
            indexed = true;
        }
        boolean load = settings.loadCollection != null ? settings.loadCollection : indexed;
        if (load) {
            check(client.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name())
                    .withSyncLoad(true).build()), ErrorCode.TARGET_REJECTED, "load collection " + name());
        }
    }

    /** The index to build: explicit settings first, then the suggestion (if its type suits the field), else a
     * default; empty for {@code none}. */
    static Optional<io.milvus.migration.spi.IndexSpec> chooseIndex(MilvusTarget.Builder settings,
            io.milvus.migration.spi.FieldSchema vector, Optional<io.milvus.migration.spi.IndexSpec> suggested) {
        if (settings.indexType != null) {
            if (settings.indexType.equalsIgnoreCase(MilvusTarget.NO_INDEX)) {
                return Optional.empty();
            }
            var b = io.milvus.migration.spi.IndexSpec.builder(settings.indexType).metric(vector.metric());
            var m = MilvusReader.PARAM.matcher(settings.indexParams);
            while (m.find()) {
                b.param(m.group(1), Long.parseLong(m.group(2)));
            }
            return Optional.of(b.build());
        }
        boolean binary = vector.type() == io.milvus.migration.spi.DataType.BINARY_VECTOR;
        return Optional.of(suggested.filter(s -> s.type().startsWith("BIN_") == binary)
                .map(s -> s.withMetric(vector.metric()))
                .orElseGet(() -> io.milvus.migration.spi.IndexSpec.builder(binary ? "BIN_FLAT" : "AUTOINDEX")
                        .metric(vector.metric()).build()));
    }

    @Override
    public void drop() {
        try {
            var r = client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(name()).build());
            if (r.getStatus() == R.Status.Success.getCode()) {
                LOG.warn("dropped collection {}, created by this failed migration", name());
            } else {
                LOG.error("could not drop collection {} after a failure; drop it by hand: {}", name(),
                        r.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("could not drop collection {} after a failure; drop it by hand", name(), e);
        }
    }

    /** Creates the partition unless it is the default one or already exists. */
    private void ensurePartition(String partition) {
        if (partition.isEmpty() || partitions.contains(partition)) {
            return;
        }
        synchronized (partitions) {
            if (partitions.contains(partition)) {
                return;
            }
            boolean exists = check(client.hasPartition(io.milvus.param.partition.HasPartitionParam.newBuilder()
                    .withCollectionName(name()).withPartitionName(partition).build()), ErrorCode.TARGET_REJECTED,
                    "check partition " + where(partition));
            if (!exists) {
                check(client.createPartition(io.milvus.param.partition.CreatePartitionParam.newBuilder()
                        .withCollectionName(name()).withPartitionName(partition).build()),
                        ErrorCode.TARGET_REJECTED, "create partition " + where(partition));
            }
            partitions.add(partition);
        }
    }

    private String where(String partition) {
        return partition.isEmpty() ? "collection " + name() : "partition " + partition + " of collection " + name();
    }

    private static long rowCount(MilvusServiceClient client, String name) {
        var stats = check(client.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(name).withFlush(false).build()), ErrorCode.TARGET_REJECTED,
                "count rows of " + name);
        return new GetCollStatResponseWrapper(stats).getRowCount();
    }

    private static DescribeCollectionResponse describe(MilvusServiceClient client, String name) {
        return check(client.describeCollection(DescribeCollectionParam.newBuilder().withCollectionName(name)
                .build()), ErrorCode.TARGET_REJECTED, "describe collection " + name);
    }

    private static void checkCompatible(DescribeCollectionResponse d, CollectionSchema schema, MilvusTarget target) {
        Map<String, FieldSchema> existing = new LinkedHashMap<>();
        d.getSchema().getFieldsList().forEach(f -> existing.put(f.getName(), f));
        for (var f : schema.fields()) {
            FieldSchema e = existing.get(f.name());
            String problem = null;
            if (e == null) {
                problem = "has no field " + f.name();
            } else if (e.getDataType() != milvusType(f.type())) {
                problem = "has field " + f.name() + " of type " + e.getDataType() + ", the source gives " + f.type();
            } else if (f.type().isVector() && !String.valueOf(f.dimension()).equals(dim(e))) {
                problem = "has field " + f.name() + " of dimension " + dim(e) + ", the source gives "
                        + f.dimension();
            }
            if (problem != null) {
                throw new MigrationException(ErrorCode.TARGET_REJECTED, "cannot append to collection "
                        + schema.name() + " in " + target.describe() + ": it " + problem);
            }
        }
    }

    private static String dim(FieldSchema f) {
        return f.getTypeParamsList().stream().filter(p -> p.getKey().equals("dim")).map(p -> p.getValue())
                .findFirst().orElse("?");
    }

    private static DataType milvusType(io.milvus.migration.spi.DataType type) {
        return switch (type) {
            case BOOL -> DataType.Bool;
            case INT8 -> DataType.Int8;
            case INT16 -> DataType.Int16;
            case INT32 -> DataType.Int32;
            case INT64 -> DataType.Int64;
            case FLOAT -> DataType.Float;
            case DOUBLE -> DataType.Double;
            case VARCHAR -> DataType.VarChar;
            case JSON -> DataType.JSON;
            case ARRAY -> DataType.Array;
            case FLOAT_VECTOR -> DataType.FloatVector;
            case BINARY_VECTOR -> DataType.BinaryVector;
            case FLOAT16_VECTOR -> DataType.Float16Vector;
            case BFLOAT16_VECTOR -> DataType.BFloat16Vector;
            case SPARSE_FLOAT_VECTOR -> DataType.SparseFloatVector;
        };
    }

    private static IndexType indexType(String name) {
        try {
            return IndexType.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "unknown index type " + name, e);
        }
    }

    private static List<?> values(Column column) {
        if (column instanceof Column.Longs c) {
            var list = new ArrayList<Long>(c.values().length);
            for (long v : c.values()) {
                list.add(v);
            }
            return list;
        } else if (column instanceof Column.Strings c) {
            return c.values();
        } else if (column instanceof Column.FloatVectors c) {
            var list = new ArrayList<List<Float>>(c.rowCount());
            float[] v = c.values();
            for (int r = 0; r < c.rowCount(); r++) {
                var row = new ArrayList<Float>(c.dimension());
                for (int i = r * c.dimension(); i < (r + 1) * c.dimension(); i++) {
                    row.add(v[i]);
                }
                list.add(row);
            }
            return list;
        } else {
            var c = (Column.BinaryVectors) column;
            int width = c.dimension() / 8;
            var list = new ArrayList<ByteBuffer>(c.rowCount());
            for (int r = 0; r < c.rowCount(); r++) {
                // one array per row: the SDK copies ByteBuffer.array() whole, ignoring offset and slice
                list.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(c.values(), r * width, (r + 1) * width)));
            }
            return list;
        }
    }

    /** The data of a successful response, or a typed error with Milvus's own message. */
    static <T> T check(R<T> r, ErrorCode code, String action) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            ErrorCode c = r.getException() != null && isUnavailable(r) ? ErrorCode.TARGET_UNAVAILABLE : code;
            throw new MigrationException(c, "Milvus could not " + action + ": " + r.getMessage(), r.getException());
        }
        return r.getData();
    }

    private static boolean isUnavailable(R<?> r) {
        return r.getStatus() == R.Status.RpcError.getCode() || r.getStatus() == R.Status.ClientNotConnected.getCode();
    }

    /** The most telling message of a client failure. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted while waiting for imports", e);
        }
    }
}
