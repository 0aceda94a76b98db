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
    /** Where the import calls run: never cancelled (see {@link UncancelledCalls}). */
    private final UncancelledCalls calls;
    private final CollectionSchema schema;
    private final boolean created;
    /** Partitions known to exist, so each is checked or created once. */
    private final java.util.Set<String> partitions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private MilvusCollection(MilvusTarget target, MilvusServiceClient client, CollectionSchema schema,
                             boolean created) {
        this.settings = target.settings;
        this.client = client;
        this.calls = target.calls();
        this.schema = schema;
        this.created = created;
    }

    /** The collection property that names the job which created a collection, so that a resumed job knows it. */
    static final String JOB_PROPERTY = "milvus.migration.job";

    static MilvusCollection open(MilvusTarget target, MilvusServiceClient client, CollectionSchema schema,
                                 String jobId, boolean resume) {
        var s = target.settings;
        String name = schema.name();
        // before anything is created or written: can this server hold the collection at all?
        target.server().check(schema, s.bulkImport, target.describe());
        boolean exists = check(client.hasCollection(HasCollectionParam.newBuilder().withCollectionName(name)
                .build()), ErrorCode.TARGET_UNAVAILABLE, "check collection " + name + " on " + target.describe());
        if (exists) {
            DescribeCollectionResponse d = describe(client, name);
            boolean ours = d.getPropertiesList().stream().anyMatch(p -> p.getKey().equals(JOB_PROPERTY)
                    && p.getValue().equals(jobId));
            if (ours || resume) {
                // created by this job in an earlier attempt, or appended to since its first attempt
                checkCompatible(d, schema, target);
                return new MilvusCollection(target, client, schema, ours);
            }
            switch (s.ifExists) {
                case FAIL -> throw new MigrationException(ErrorCode.COLLECTION_EXISTS, "collection " + name
                        + " already exists in " + target.describe() + "; choose to append to it or to recreate it");
                case APPEND -> {
                    checkCompatible(d, schema, target);
                    return new MilvusCollection(target, client, schema, false);
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
                .withShardsNum(schema.shards() > 0 && !s.shardsSet ? schema.shards() : s.shards)
                .withEnableDynamicField(s.dynamicField || schema.dynamicField())
                .withProperty(JOB_PROPERTY, jobId);
        if (schema.partitionKeyPartitions() > 0) {
            create.withPartitionsNum(schema.partitionKeyPartitions());
        }
        schema.properties().forEach(create::withProperty);
        schema.consistencyLevel().ifPresent(c -> create.withConsistencyLevel(
                io.milvus.common.clientenum.ConsistencyLevelEnum.valueOf(c.name())));
        for (var f : schema.fields()) {
            create.addFieldType(fieldType(f));
        }
        check(client.createCollection(create.build()), ErrorCode.TARGET_REJECTED, "create collection " + name);
        LOG.info("created collection {} in {} for job {}", name, target.describe(), jobId);
        var created = new MilvusCollection(target, client, schema, true);
        schema.partitions().stream().filter(p -> !p.equals("_default")).forEach(created::ensurePartition);
        return created;
    }

    /** The SDK's field type for a field, with every property the schema gives it. */
    static FieldType fieldType(io.milvus.migration.spi.FieldSchema f) {
        var ft = FieldType.newBuilder().withName(f.name()).withDataType(milvusType(f.type()))
                .withPrimaryKey(f.primaryKey()).withDescription(f.description());
        if (f.primaryKey()) {
            ft.withAutoID(f.autoId());
        }
        if (f.type().hasDimension()) {
            ft.withDimension(f.dimension());
        }
        if (f.type() == io.milvus.migration.spi.DataType.VARCHAR
                || f.elementType() == io.milvus.migration.spi.DataType.VARCHAR) {
            ft.withMaxLength(f.maxLength());
        }
        if (f.type() == io.milvus.migration.spi.DataType.ARRAY) {
            ft.withElementType(milvusType(f.elementType())).withMaxCapacity(f.maxCapacity());
        }
        if (f.partitionKey()) {
            ft.withPartitionKey(true);
        }
        if (f.clusteringKey()) {
            ft.withClusteringKey(true);
        }
        if (f.nullable()) {
            ft.withNullable(true);
        }
        f.defaultValue().ifPresent(ft::withDefaultValue);
        return ft.build();
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
        replace |= settings.upsert;
        ensurePartition(partition);
        int rows = batch.rowCount();
        long rowBytes = Math.max(1, batch.sizeInBytes() / Math.max(1, rows));
        int step = (int) Math.max(1, Math.min(rows, settings.insertBytes / rowBytes));
        for (int from = 0; from < rows; from += step) {
            int to = Math.min(rows, from + step);
            Batch part = from == 0 && to == rows ? batch : batch.slice(from, to);
            var fields = new ArrayList<InsertParam.Field>();
            part.columns().forEach((field, column) -> {
                var f = schema.field(field).orElse(null);
                if (f != null && f.primaryKey() && f.autoId()) {
                    return;   // Milvus makes autoID keys
                }
                if (f == null && !field.equals(CollectionSchema.DYNAMIC_FIELD)) {
                    return;
                }
                fields.add(new InsertParam.Field(field, MilvusValues.insertValues(column, f)));
            });
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
        String what = "submit import of " + files + " into " + where(group.partition());
        var r = calls.call(() -> client.bulkInsert(request.build()), what);
        check(r, ErrorCode.IMPORT_FAILED, what);
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
            String what = "get state of import task " + task;
            var request = GetBulkInsertStateParam.newBuilder().withTask(Long.parseLong(task)).build();
            var state = new GetBulkInsertStateWrapper(check(calls.call(() -> client.getBulkInsertState(request),
                    what), ErrorCode.IMPORT_FAILED, what));
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
        String what = "list import tasks of " + name();
        var request = io.milvus.param.bulkinsert.ListBulkInsertTasksParam.newBuilder().withCollectionName(name())
                .build();
        var r = check(calls.call(() -> client.listBulkInsertTasks(request), what), ErrorCode.IMPORT_FAILED, what);
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
     * Builds one index per vector field: the configured index on the first vector field, else the source's
     * suggestion for that field, else AUTOINDEX (BIN_FLAT for binary vectors, SPARSE_INVERTED_INDEX for sparse
     * ones), with the field's metric; and every scalar index the source suggests, on its field. A field that already
     * has an index (an append) keeps it; {@code none} builds no vector index. Then loads the collection unless told
     * not to (by default only when it has an index).
     */
    @Override
    public void finish(java.util.List<io.milvus.migration.spi.IndexSpec> suggestions) {
        var vectors = schema.vectorFields();
        String first = vectors.get(0).name();
        var plans = new ArrayList<Map.Entry<String, io.milvus.migration.spi.IndexSpec>>();
        for (var vector : vectors) {
            var suggested = suggestions.stream().filter(x -> x.field().map(vector.name()::equals)
                    .orElse(vector.name().equals(first))).findFirst();
            var settingsHere = vector.name().equals(first) ? settings : noOverride(settings);
            chooseIndex(settingsHere, vector, suggested).ifPresent(spec -> plans.add(Map.entry(vector.name(), spec)));
        }
        if (settings.indexType == null || !settings.indexType.equalsIgnoreCase(MilvusTarget.NO_INDEX)) {
            for (var spec : suggestions) {
                spec.field().flatMap(schema::field).filter(f -> !f.type().isVector())
                        .ifPresent(f -> plans.add(Map.entry(f.name(), spec)));
            }
        }
        boolean indexed = false;
        for (var plan : plans) {
            String field = plan.getKey();
            var spec = plan.getValue();
            var f = schema.field(field).orElseThrow();
            // only a collection this job did not create can have an index already (asking Milvus about a missing
            // index makes the SDK log an error)
            var existing = created ? Optional.<io.milvus.migration.spi.IndexSpec>empty()
                    : new MilvusReader(() -> client, name()).index(name(), field);
            if (existing.isPresent()) {
                LOG.info("{}.{} already has index {}; not building {}", name(), field, existing.get(), spec);
            } else {
                LOG.info("building index {} on {}.{}", spec, name(), field);
                var create = CreateIndexParam.newBuilder().withCollectionName(name())
                        .withFieldName(field)
                        .withIndexType(indexType(spec.type()))
                        .withExtraParam(settings.indexType != null && field.equals(first) ? settings.indexParams
                                : spec.paramsJson())
                        .withSyncMode(true);
                spec.name().ifPresent(create::withIndexName);
                if (f.type().isVector()) {
                    create.withMetricType(MetricType.valueOf(spec.metric().orElse(f.metric()).name()));
                }
                check(client.createIndex(create.build()), ErrorCode.TARGET_REJECTED, "create index " + spec + " on "
                        + name() + "." + field);
            }
            indexed |= f.type().isVector();
        }
        boolean load = settings.loadCollection != null ? settings.loadCollection : indexed;
        if (load) {
            check(client.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name())
                    .withSyncLoad(true).build()), ErrorCode.TARGET_REJECTED, "load collection " + name());
        }
    }

    /** The settings without an explicit index type, for vector fields after the first. */
    private static MilvusTarget.Builder noOverride(MilvusTarget.Builder settings) {
        if (settings.indexType == null || settings.indexType.equalsIgnoreCase(MilvusTarget.NO_INDEX)) {
            return settings;
        }
        var copy = settings.copy();
        copy.indexType = null;
        return copy;
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
        boolean sparse = vector.type() == io.milvus.migration.spi.DataType.SPARSE_FLOAT_VECTOR;
        return Optional.of(suggested.filter(s -> s.type().startsWith("BIN_") == binary
                        && s.type().startsWith("SPARSE_") == sparse)
                .map(s -> s.withMetric(vector.metric()))
                .orElseGet(() -> io.milvus.migration.spi.IndexSpec.builder(binary ? "BIN_FLAT"
                        : sparse ? "SPARSE_INVERTED_INDEX" : "AUTOINDEX").metric(vector.metric()).build()));
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
            FieldSchema e = existing.remove(f.name());
            String problem = null;
            if (e == null) {
                problem = "has no field " + f.name();
            } else if (e.getDataType() != milvusType(f.type())) {
                problem = "has field " + f.name() + " of type " + e.getDataType() + ", the source gives " + f.type();
            } else if (f.type().hasDimension() && !String.valueOf(f.dimension()).equals(param(e, "dim"))) {
                problem = "has field " + f.name() + " of dimension " + param(e, "dim") + ", the source gives "
                        + f.dimension();
            } else if (f.maxLength() > 0 && parseInt(param(e, "max_length")) < f.maxLength()) {
                problem = "has field " + f.name() + " of max length " + param(e, "max_length")
                        + ", the source gives " + f.maxLength();
            } else if (f.type() == io.milvus.migration.spi.DataType.ARRAY
                    && e.getElementType() != milvusType(f.elementType())) {
                problem = "has field " + f.name() + " of element type " + e.getElementType() + ", the source gives "
                        + f.elementType();
            } else if (f.type() == io.milvus.migration.spi.DataType.ARRAY
                    && parseInt(param(e, "max_capacity")) < f.maxCapacity()) {
                problem = "has field " + f.name() + " of max capacity " + param(e, "max_capacity")
                        + ", the source gives " + f.maxCapacity();
            } else if (e.getIsPrimaryKey() != f.primaryKey()) {
                problem = (f.primaryKey() ? "does not have " : "has ") + "field " + f.name() + " as primary key";
            } else if (f.primaryKey() && e.getAutoID() != f.autoId()) {
                problem = "has primary key " + f.name() + (e.getAutoID() ? " with" : " without")
                        + " autoID, the source " + (f.autoId() ? "with" : "without");
            } else if ((f.nullable() || f.defaultValue().isPresent()) && !e.getNullable()
                    && !e.hasDefaultValue()) {
                problem = "has field " + f.name() + " neither nullable nor with a default, the source's may be null";
            }
            if (problem != null) {
                throw new MigrationException(ErrorCode.TARGET_REJECTED, "cannot append to collection "
                        + schema.name() + " in " + target.describe() + ": it " + problem);
            }
        }
        for (FieldSchema e : existing.values()) {
            boolean filled = e.getIsDynamic() || e.getAutoID() || e.getNullable() || e.hasDefaultValue();
            if (!filled) {
                throw new MigrationException(ErrorCode.TARGET_REJECTED, "cannot append to collection "
                        + schema.name() + " in " + target.describe() + ": its field " + e.getName()
                        + " needs a value and the source has no such field");
            }
        }
        if (schema.dynamicField() && !d.getSchema().getEnableDynamicField()) {
            throw new MigrationException(ErrorCode.TARGET_REJECTED, "cannot append to collection " + schema.name()
                    + " in " + target.describe() + ": the source has a dynamic field ($meta), the collection none");
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String param(FieldSchema f, String key) {
        return f.getTypeParamsList().stream().filter(p -> p.getKey().equals(key)).map(p -> p.getValue())
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
