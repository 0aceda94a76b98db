package io.milvus.migration.milvus2;

import static io.milvus.migration.milvus2.MilvusCollection.check;
import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.grpc.StatusRuntimeException;
import io.milvus.grpc.DescribeCollectionResponse;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.ConsistencyLevel;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.param.R;
import io.milvus.param.collection.DescribeCollectionParam;
import io.milvus.param.collection.GetLoadStateParam;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.collection.ReleaseCollectionParam;
import io.milvus.param.collection.ShowCollectionsParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.param.partition.ShowPartitionsParam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Milvus 2.x server as a source: one collection, a list, or every collection of one or more databases, each
 * copied with its schema (types, lengths, capacities, autoID, nullable and default values, dynamic field, partition
 * key, description, properties, consistency level, shards), partitions and indexes.
 *
 * <p>Rows are read by primary key, in pages of keys above the last one read, with query expressions. Each partition
 * is cut into key ranges of {@link Builder#splitRows} rows (the bounds found by one scan of its keys), read in
 * parallel by the engine; a split's position is its last key, so a stopped copy resumes inside a split. Every read
 * asks for one timestamp taken when the collections are first described (the guarantee timestamp of an iterator
 * query, which Milvus 2.4 and later read as a snapshot; Milvus 2.3 reads the latest rows), and at the end of each
 * split the rows read are compared with the split's count, so that a source that changed during the copy is
 * reported ({@link #drift()} and a warning). A collection that is not loaded is loaded for the copy and released on
 * {@link #close()}.
 *
 * <p>Thread-safe: readers of different splits may run at once over the one client.
 */
public final class MilvusSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(MilvusSource.class);
    static final String DEFAULT_PARTITION = "_default";

    private final Builder settings;
    private SourceClient client;
    private List<SourceCollection> collections;
    private final Map<String, Info> infos = new LinkedHashMap<>();
    private final List<String[]> loadedByUs = new ArrayList<>();

    /** What the source knows of one collection, by its target name. */
    record Info(String database, String name, CollectionSchema schema, boolean partitionKey, List<String> partitions,
                long snapshot) {
    }

    private MilvusSource(Builder b) {
        this.settings = b.clone();
    }

    /** Starts a source. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return "milvus:" + settings.uri.replaceFirst("^https?://", "//") + "/" + settings.database;
    }

    synchronized SourceClient client() {
        if (client == null) {
            try {
                client = new SourceClient(MilvusServer.connectParam(settings.uri, settings.database,
                        settings.connectTimeout, settings.token, settings.user, settings.password));
            } catch (RuntimeException e) {
                throw new MigrationException(ErrorCode.SOURCE_IO, "cannot connect to Milvus at " + settings.uri
                        + ": " + MilvusCollection.reason(e), e);
            }
        }
        return client;
    }

    Builder settings() {
        return settings;
    }

    @Override
    public synchronized List<SourceCollection> collections() {
        if (collections == null) {
            var out = new ArrayList<SourceCollection>();
            for (Pick p : picks()) {
                Info info = describe(p);
                infos.put(info.schema().name(), info);
                long rows = count(info, List.of(), "", info.snapshot());
                out.add(new SourceCollection(info.schema(), rows));
            }
            collections = List.copyOf(out);
        }
        return collections;
    }

    /** One collection to copy: its database, name and target name. */
    record Pick(String database, String name, String targetName) {
    }

    private List<Pick> picks() {
        var out = new ArrayList<Pick>(settings.collections);
        List<String> all = new ArrayList<>(settings.allOf);
        if (settings.collections.isEmpty() && all.isEmpty()) {
            all.add(settings.database);
        }
        for (String db : all) {
            var r = check(client().showCollections(ShowCollectionsParam.newBuilder().withDatabaseName(db).build()),
                    ErrorCode.SOURCE_IO, "list the collections of database " + db + " on " + settings.uri);
            for (String name : r.getCollectionNamesList().stream().sorted().toList()) {
                out.add(new Pick(db, name, settings.renames.getOrDefault(name, name)));
            }
        }
        var seen = new java.util.HashSet<String>();
        for (Pick p : out) {
            if (!seen.add(p.targetName())) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "two source collections would become "
                        + "collection " + p.targetName() + " in the target: rename one");
            }
        }
        return out;
    }

    private Info describe(Pick p) {
        String what = "collection " + p.name() + " of database " + p.database() + " on " + settings.uri;
        DescribeCollectionResponse d = check(client().describeCollection(DescribeCollectionParam.newBuilder()
                .withDatabaseName(p.database()).withCollectionName(p.name()).build()), ErrorCode.SOURCE_IO,
                "describe " + what);
        ensureLoaded(p.database(), p.name(), what);
        Map<String, IndexSpec> indexes = indexes(p.database(), p.name());
        var schema = CollectionSchema.builder(p.targetName()).description(d.getSchema().getDescription())
                .dynamicField(d.getSchema().getEnableDynamicField()).shards(d.getShardsNum())
                .partitionKeyPartitions((int) d.getNumPartitions());
        consistency(d.getConsistencyLevel()).ifPresent(schema::consistencyLevel);
        for (KeyValuePair kv : d.getPropertiesList()) {
            if (!kv.getKey().equals(MilvusCollection.JOB_PROPERTY)) { // a copy's bookkeeping, not the data's
                schema.property(kv.getKey(), kv.getValue());
            }
        }
        boolean partitionKey = false;
        for (io.milvus.grpc.FieldSchema f : d.getSchema().getFieldsList()) {
            if (f.getIsDynamic()) {
                continue; // the $meta field: the dynamicField flag
            }
            partitionKey |= f.getIsPartitionKey();
            schema.field(field(f, indexes.get(f.getName()), what));
        }
        var parts = check(client().showPartitions(ShowPartitionsParam.newBuilder().withDatabaseName(p.database())
                .withCollectionName(p.name()).build()), ErrorCode.SOURCE_IO, "list the partitions of " + what);
        List<String> partitions = new ArrayList<>(parts.getPartitionNamesList());
        if (!partitionKey) {
            schema.partitions(partitions.stream().filter(n -> !n.equals(DEFAULT_PARTITION)).toList());
        }
        long snapshot = snapshot(p, what);
        return new Info(p.database(), p.name(), schema.build(), partitionKey, partitions, snapshot);
    }

    private FieldSchema field(io.milvus.grpc.FieldSchema f, IndexSpec index, String what) {
        DataType type = type(f.getDataType(), f.getName(), what);
        var b = FieldSchema.builder(f.getName(), type).description(f.getDescription())
                .primaryKey(f.getIsPrimaryKey()).autoId(f.getIsPrimaryKey() && f.getAutoID() && settings.newIds)
                .partitionKey(f.getIsPartitionKey()).clusteringKey(f.getIsClusteringKey()).nullable(f.getNullable());
        for (KeyValuePair kv : f.getTypeParamsList()) {
            switch (kv.getKey()) {
                case "dim" -> b.dimension(Integer.parseInt(kv.getValue()));
                case "max_length" -> b.maxLength(Integer.parseInt(kv.getValue()));
                case "max_capacity" -> b.maxCapacity(Integer.parseInt(kv.getValue()));
                default -> {
                    // other type parameters (such as mmap) are server tuning, not the field's shape
                }
            }
        }
        if (type == DataType.ARRAY) {
            b.elementType(type(f.getElementType(), f.getName() + " (elements)", what));
        }
        if (type.isVector()) {
            b.metric(index != null && index.metric().isPresent() ? index.metric().get() : type.defaultMetric());
        }
        if (f.hasDefaultValue()) {
            defaultValue(f.getDefaultValue(), type).ifPresent(b::defaultValue);
        }
        return b.build();
    }

    private static Optional<Object> defaultValue(io.milvus.grpc.ValueField v, DataType type) {
        return Optional.ofNullable(switch (v.getDataCase()) {
            case BOOL_DATA -> v.getBoolData();
            case INT_DATA -> v.getIntData();
            case LONG_DATA -> v.getLongData();
            case FLOAT_DATA -> v.getFloatData();
            case DOUBLE_DATA -> v.getDoubleData();
            case STRING_DATA -> v.getStringData();
            default -> null;
        });
    }

    static DataType type(io.milvus.grpc.DataType t, String field, String what) {
        return switch (t) {
            case Bool -> DataType.BOOL;
            case Int8 -> DataType.INT8;
            case Int16 -> DataType.INT16;
            case Int32 -> DataType.INT32;
            case Int64 -> DataType.INT64;
            case Float -> DataType.FLOAT;
            case Double -> DataType.DOUBLE;
            case VarChar, String -> DataType.VARCHAR;
            case JSON -> DataType.JSON;
            case Array -> DataType.ARRAY;
            case FloatVector -> DataType.FLOAT_VECTOR;
            case BinaryVector -> DataType.BINARY_VECTOR;
            case Float16Vector -> DataType.FLOAT16_VECTOR;
            case BFloat16Vector -> DataType.BFLOAT16_VECTOR;
            case SparseFloatVector -> DataType.SPARSE_FLOAT_VECTOR;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, what + ": field " + field
                    + " has type " + t + ", which this library does not copy");
        };
    }

    private static Optional<ConsistencyLevel> consistency(io.milvus.grpc.ConsistencyLevel level) {
        return switch (level) {
            case Strong -> Optional.of(ConsistencyLevel.STRONG);
            case Session -> Optional.of(ConsistencyLevel.SESSION);
            case Bounded -> Optional.of(ConsistencyLevel.BOUNDED);
            case Eventually -> Optional.of(ConsistencyLevel.EVENTUALLY);
            default -> Optional.empty();
        };
    }

    /** The collection's indexes by field, as the server describes them. */
    private Map<String, IndexSpec> indexes(String database, String name) {
        var r = client().describeIndex(DescribeIndexParam.newBuilder().withDatabaseName(database)
                .withCollectionName(name).build());
        var out = new LinkedHashMap<String, IndexSpec>();
        if (r.getStatus() != R.Status.Success.getCode() || r.getData() == null) {
            return out; // Milvus answers "index not found" for a collection without any
        }
        for (var desc : r.getData().getIndexDescriptionsList()) {
            String type = null;
            MetricType metric = null;
            String params = null;
            var flat = new LinkedHashMap<String, String>();
            for (KeyValuePair kv : desc.getParamsList()) {
                switch (kv.getKey()) {
                    case "index_type" -> type = kv.getValue();
                    case "metric_type" -> metric = metric(kv.getValue());
                    case "params" -> params = kv.getValue();
                    // servers before 2.4 keep the build parameters as pairs of their own
                    default -> flat.put(kv.getKey(), kv.getValue());
                }
            }
            if (type == null) {
                continue;
            }
            var spec = IndexSpec.builder(type).field(desc.getFieldName());
            if (!desc.getIndexName().isEmpty() && !desc.getIndexName().equals(desc.getFieldName())) {
                spec.name(desc.getIndexName());
            }
            if (metric != null) {
                spec.metric(metric);
            }
            for (var e : flat.entrySet()) {
                if (!e.getKey().startsWith("mmap.")) {
                    param(spec, e.getKey(), new JsonPrimitive(e.getValue()));
                }
            }
            if (params != null && !params.isBlank()) {
                for (var e : JsonParser.parseString(params).getAsJsonObject().entrySet()) {
                    param(spec, e.getKey(), e.getValue());
                }
            }
            out.put(desc.getFieldName(), spec.build());
            LOG.debug("index {} of {}.{}: {} -> {}", desc.getIndexName(), database, name, desc.getParamsList(),
                    out.get(desc.getFieldName()));
        }
        return out;
    }

    private static void param(IndexSpec.Builder spec, String key, JsonElement v) {
        if (!v.isJsonPrimitive()) {
            spec.param(key, v.toString());
            return;
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (p.isBoolean()) {
            spec.param(key, p.getAsBoolean());
        } else if (p.isNumber() || p.getAsString().matches("-?\\d+(\\.\\d+)?")) {
            // Milvus keeps index parameters as text; numbers go back as numbers
            String s = p.getAsString();
            if (s.matches("-?\\d+")) {
                spec.param(key, Long.parseLong(s));
            } else {
                spec.param(key, Double.parseDouble(s));
            }
        } else {
            spec.param(key, p.getAsString());
        }
    }

    private static MetricType metric(String name) {
        try {
            return MetricType.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void ensureLoaded(String database, String name, String what) {
        var state = check(client().getLoadState(GetLoadStateParam.newBuilder().withDatabaseName(database)
                .withCollectionName(name).build()), ErrorCode.SOURCE_IO, "check the load state of " + what);
        if (state.getState() == io.milvus.grpc.LoadState.LoadStateLoaded) {
            return;
        }
        // Milvus queries loaded collections only
        var load = client().loadCollection(LoadCollectionParam.newBuilder().withDatabaseName(database)
                .withCollectionName(name).withSyncLoad(true).build());
        if (load.getStatus() != R.Status.Success.getCode()) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, what + " is not loaded and Milvus cannot "
                    + "load it (" + load.getMessage() + "); Milvus reads loaded collections only: index its vector "
                    + "fields and load it");
        }
        LOG.info("loaded {} to read it; released again when the copy ends", what);
        synchronized (loadedByUs) {
            loadedByUs.add(new String[] {database, name});
        }
    }

    /** The timestamp all reads of a collection are made at: that of a strong read now. */
    private long snapshot(Pick p, String what) {
        if (!settings.snapshot) {
            return 0;
        }
        QueryResults r = query(QueryRequest.newBuilder().setDbName(p.database()).setCollectionName(p.name())
                .setExpr("").addOutputFields("count(*)").setConsistencyLevel(io.milvus.grpc.ConsistencyLevel.Strong)
                .build(), "count the rows of " + what);
        if (r.getSessionTs() > 0) {
            return r.getSessionTs();
        }
        // servers that do not tell the read's timestamp: a hybrid timestamp (milliseconds << 18) of the clock
        return System.currentTimeMillis() << 18;
    }

    /** Rows of a collection (a partition, a key range) at a timestamp (0: now). */
    long count(Info info, List<String> partitions, String expr, long snapshot) {
        var q = QueryRequest.newBuilder().setDbName(info.database()).setCollectionName(info.name()).setExpr(expr)
                .addOutputFields("count(*)").addAllPartitionNames(partitions);
        at(q, snapshot);
        QueryResults r = query(q.build(), "count the rows of collection " + info.name() + (partitions.isEmpty()
                ? "" : " partition " + partitions) + (expr.isEmpty() ? "" : " where " + expr));
        return r.getFieldsData(0).getScalars().getLongData().getData(0);
    }

    /** Reads at a snapshot: an iterator query's guarantee timestamp is the timestamp it reads at. */
    static void at(QueryRequest.Builder q, long snapshot) {
        if (snapshot > 0) {
            q.setGuaranteeTimestamp(snapshot).setConsistencyLevel(io.milvus.grpc.ConsistencyLevel.Customized)
                    .setUseDefaultConsistency(false).addQueryParams(kv("iterator", "true"));
        } else {
            q.setConsistencyLevel(io.milvus.grpc.ConsistencyLevel.Strong);
        }
    }

    static KeyValuePair kv(String key, String value) {
        return KeyValuePair.newBuilder().setKey(key).setValue(value).build();
    }

    /**
     * Sends a query, waiting out rate limiting (exponential back-off, {@link Builder#retries} times).
     *
     * @throws StatusRuntimeException as gRPC gives it, for the caller to act on its code (a too large answer)
     */
    QueryResults query(QueryRequest request, String what) {
        long wait = 200;
        for (int attempt = 0; ; attempt++) {
            QueryResults r = client().query(request, settings.queryTimeout.toMillis());
            var s = r.getStatus();
            if (s.getCode() == 0 && s.getErrorCodeValue() == 0) {
                return r;
            }
            boolean limited = s.getErrorCode() == io.milvus.grpc.ErrorCode.RateLimit || s.getCode() == 8;
            if (!limited || attempt >= settings.retries) {
                throw new MigrationException(ErrorCode.SOURCE_IO, "Milvus at " + settings.uri + " refused to "
                        + what + ": " + s.getReason());
            }
            LOG.info("Milvus at {} limits the rate of queries; trying again in {} ms", settings.uri, wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted while waiting to " + what, e);
            }
            wait = Math.min(10_000, wait * 2);
        }
    }

    /** A split whose rows changed during the copy. */
    record Drift(String collection, String split, long estimatedRows, long rowsRead, long rowsNow) {
    }

    private final List<Drift> drift = new java.util.concurrent.CopyOnWriteArrayList<>();

    void drifted(String collection, MilvusSplit split, long read, long now) {
        drift.add(new Drift(collection, split.id(), split.estimatedRows(), read, now));
    }

    /**
     * The splits read by this source whose rows changed while they were read (rows written or deleted in the
     * source during the copy), each with its collection (target name), rows when cut, rows read and rows at the
     * end; empty if none changed. Also logged as a warning.
     */
    public List<Drift> drift() {
        return List.copyOf(drift);
    }

    Info info(String targetName) {
        collections();
        synchronized (this) {
            Info i = infos.get(targetName);
            if (i == null) {
                throw new MigrationException(ErrorCode.INTERNAL, "collection " + targetName + " is not one of "
                        + describe());
            }
            return i;
        }
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        Info info = info(collection.schema().name());
        FieldSchema key = info.schema().primaryKey();
        boolean int64 = key.type() == DataType.INT64;
        var out = new ArrayList<Split>();
        // a partition-key collection's partitions are Milvus's own; its rows are read together and go by key
        List<String> partitions = info.partitionKey() ? List.of("") : info.partitions();
        for (String partition : partitions) {
            List<String> names = partition.isEmpty() ? List.of() : List.of(partition);
            String target = partition.equals(DEFAULT_PARTITION) ? "" : partition;
            List<KeyRanges.Range> ranges = KeyRanges.cut((after, limit) -> keys(info, names, after, limit),
                    settings.splitRows);
            for (int i = 0; i < ranges.size(); i++) {
                var r = ranges.get(i);
                out.add(new MilvusSplit((partition.isEmpty() ? "all" : partition) + "#" + i, info.database(),
                        info.name(), partition, target, KeyRanges.text(r.lower()), KeyRanges.text(r.upper()),
                        r.rows(), info.snapshot()));
            }
        }
        LOG.info("collection {} of {}: {} splits of up to {} rows", info.name(), describe(), out.size(),
                settings.splitRows);
        return out;
    }

    private List<Object> keys(Info info, List<String> partitions, Object after, int limit) {
        String pk = info.schema().primaryKey().name();
        var q = QueryRequest.newBuilder().setDbName(info.database()).setCollectionName(info.name())
                .setExpr(after == null ? "" : KeyRanges.expr(pk, null, null, after)).addOutputFields(pk)
                .addAllPartitionNames(partitions).addQueryParams(kv("limit", Integer.toString(limit)));
        at(q, info.snapshot());
        QueryResults r = query(q.build(), "scan the keys of collection " + info.name());
        var out = new ArrayList<Object>();
        for (FieldData d : r.getFieldsDataList()) {
            if (d.getFieldName().equals(pk)) {
                if (d.getScalars().hasLongData()) {
                    out.addAll(d.getScalars().getLongData().getDataList());
                } else {
                    out.addAll(d.getScalars().getStringData().getDataList());
                }
            }
        }
        return out;
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        requireNonNull(split, "split is null");
        requireNonNull(from, "from is null");
        if (!(split instanceof MilvusSplit s)) {
            throw new MigrationException(ErrorCode.INTERNAL, "split " + split.id() + " is not one of " + describe());
        }
        Info info = null;
        for (SourceCollection sc : collections()) {
            Info i = info(sc.schema().name());
            if (i.database().equals(s.database()) && i.name().equals(s.collection())) {
                info = i;
            }
        }
        if (info == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "split " + s.id() + " names collection "
                    + s.collection() + " of database " + s.database() + ", which " + describe() + " does not copy");
        }
        return new MilvusSplitReader(this, info, s, from);
    }

    @Override
    public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        Info info = info(collection.schema().name());
        return List.copyOf(indexes(info.database(), info.name()).values());
    }

    @Override
    public Optional<IndexSpec> suggestedIndex(SourceCollection collection) {
        String first = collection.schema().vectorFields().get(0).name();
        return suggestedIndexes(collection).stream().filter(i -> i.field().orElse("").equals(first)).findFirst();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            synchronized (loadedByUs) {
                for (String[] c : loadedByUs) {
                    client.releaseCollection(ReleaseCollectionParam.newBuilder().withDatabaseName(c[0])
                            .withCollectionName(c[1]).build());
                }
                loadedByUs.clear();
            }
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return "MilvusSource[" + settings + "]";
    }

    /** Settings of a {@link MilvusSource}; not thread-safe. Secrets never appear in {@link #toString()}. */
    public static final class Builder implements Cloneable {
        private String uri;
        private String user;
        private String password;
        private String token;
        private String database = "default";
        private List<Pick> collections = new ArrayList<>();
        private List<String> allOf = new ArrayList<>();
        private Map<String, String> renames = new LinkedHashMap<>();
        private long splitRows = 100_000;
        private int pageRows = 4_096;
        private boolean newIds;
        private boolean snapshot = true;
        private int retries = 8;
        private Duration queryTimeout = Duration.ofMinutes(2);
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The server, as {@code http://host:19530} or {@code https://...}. Required. */
        public Builder uri(String uri) {
            this.uri = requireNonNull(uri, "uri is null");
            return this;
        }

        /** The user name, with {@link #password}. Default none. */
        public Builder user(String user) {
            this.user = requireNonNull(user, "user is null");
            return this;
        }

        /** The user's password. Default none. */
        public Builder password(String password) {
            this.password = requireNonNull(password, "password is null");
            return this;
        }

        /** An API token ({@code user:password} or a cloud API key), instead of user and password. Default none. */
        public Builder token(String token) {
            this.token = requireNonNull(token, "token is null");
            return this;
        }

        /** The database that {@link #collection(String)} names collections of. Default {@code default}. */
        public Builder database(String database) {
            this.database = requireNonNull(database, "database is null");
            return this;
        }

        /** Copies this collection of {@link #database}, under its own name. Default: every collection of it. */
        public Builder collection(String name) {
            return collection(name, name);
        }

        /** Copies this collection of {@link #database} as {@code targetName}. */
        public Builder collection(String name, String targetName) {
            collections.add(new Pick(database, requireNonNull(name, "name is null"),
                    requireNonNull(targetName, "targetName is null")));
            return this;
        }

        /** Copies every collection of this database (each under its own name unless {@link #rename}d). */
        public Builder allCollections(String database) {
            allOf.add(requireNonNull(database, "database is null"));
            return this;
        }

        /** Gives a collection found by {@link #allCollections} another name in the target. */
        public Builder rename(String name, String targetName) {
            renames.put(requireNonNull(name, "name is null"), requireNonNull(targetName, "targetName is null"));
            return this;
        }

        /** Rows per split: each partition is cut into key ranges of this many rows. Default 100,000. */
        public Builder splitRows(long rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("splitRows must be positive: " + rows);
            }
            this.splitRows = rows;
            return this;
        }

        /**
         * Most rows per query (at most 16,384, Milvus's result window); a page too large for gRPC is halved. Default
         * 4,096.
         */
        public Builder pageRows(int rows) {
            if (rows < 1 || rows > KeyRanges.SCAN_PAGE) {
                throw new IllegalArgumentException("pageRows must be 1 to " + KeyRanges.SCAN_PAGE + ": " + rows);
            }
            this.pageRows = rows;
            return this;
        }

        /**
         * Whether an autoID collection gets new ids in the target (its key field stays autoID and its values are not
         * copied). Default false: the target is created without autoID and the source's ids are written.
         */
        public Builder newIds(boolean newIds) {
            this.newIds = newIds;
            return this;
        }

        /** Whether every read is made at one timestamp (a snapshot). Default true. */
        public Builder snapshot(boolean snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /** Attempts after Milvus limits the query rate. Default 8. */
        public Builder retries(int retries) {
            this.retries = Math.max(0, retries);
            return this;
        }

        /** Longest wait for one query. Default 2 minutes. */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** Longest wait to connect. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        long splitRows() {
            return splitRows;
        }

        int pageRows() {
            return pageRows;
        }

        boolean newIds() {
            return newIds;
        }

        /** Freezes the settings. */
        public MilvusSource build() {
            if (uri == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "a Milvus source needs a uri");
            }
            return new MilvusSource(this);
        }

        @Override
        protected Builder clone() {
            try {
                Builder b = (Builder) super.clone();
                b.collections = new ArrayList<>(collections);
                b.allOf = new ArrayList<>(allOf);
                b.renames = new LinkedHashMap<>(renames);
                return b;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String toString() {
            return "MilvusSource.Builder[uri=" + uri + ", database=" + database + ", collections=" + collections
                    + ", all of " + allOf + (user != null ? ", user=" + user : "") + (token != null || password != null
                    ? ", credentials=***" : "") + "]";
        }
    }
}
