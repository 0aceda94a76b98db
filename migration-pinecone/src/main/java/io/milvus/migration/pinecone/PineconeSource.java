package io.milvus.migration.pinecone;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.pinecone.proto.NamespaceSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads one Pinecone index with Pinecone's official Java client ({@code io.pinecone:pinecone-client}) into one
 * collection: {@code id} (VARCHAR primary key, max length 512, Pinecone's limit), {@code values} (FLOAT_VECTOR of the
 * index's dimension, for dense indexes), {@code sparse_values} (SPARSE_FLOAT_VECTOR, for sparse indexes and dense
 * ones holding sparse-dense records), the metadata fields named by {@link Builder#metadataField} as typed fields,
 * and all other metadata in the dynamic field. The metric maps cosine → COSINE, dotproduct → IP, euclidean → L2.
 *
 * <p>Each namespace is a split and goes to a partition of its name (the default namespace to the default
 * partition). A split is read in Pinecone's list order (ids sorted), a page of ids at a time, and its records fetched
 * by id; a position's cursor is a {@link PineconeCursor} (the list page's token and the ids of it read), so a resumed
 * migration continues with the next id. The namespace must not change during a migration. Serverless (and
 * Pinecone Local) indexes only: Pinecone lists ids of no other kind. Thread-safe; the gRPC channel is the client's.
 */
public final class PineconeSource implements Source {
    /** The primary key field. */
    public static final String ID = "id";
    /** The dense vector field. */
    public static final String VALUES = "values";
    /** The sparse vector field. */
    public static final String SPARSE_VALUES = "sparse_values";
    /** Pinecone's longest record id, in bytes. */
    public static final int MAX_ID_BYTES = 512;
    /** Pinecone's largest metadata of a record, in bytes: the longest a metadata string can be. */
    public static final int MAX_METADATA_BYTES = 40_960;
    /** The longest string list a typed list field holds (Milvus's largest array capacity). */
    public static final int MAX_LIST_ELEMENTS = 4096;
    /** The name the 2025-04 and later APIs give the default namespace. */
    static final String DEFAULT_NAMESPACE = "__default__";

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final Pattern PARTITION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final int SAMPLED_NAMESPACES = 10;

    /** A metadata value type, as Pinecone's metadata has them. */
    public enum MetadataType {
        /** A string: a VARCHAR field. */
        STRING,
        /** A number (Pinecone keeps 64-bit floats): a DOUBLE field. */
        NUMBER,
        /** A boolean: a BOOL field. */
        BOOLEAN,
        /** A list of strings: an ARRAY of VARCHAR field. */
        STRING_LIST
    }

    /** Whether a dense index's sparse values are migrated. */
    public enum SparseValues {
        /** When the first records of the namespaces (a list page of each of the first ten) hold sparse values. */
        AUTO,
        /** Always: the collection gets a sparse vector field, empty for records without sparse values. */
        INCLUDE,
        /** Never: sparse values of a dense index's records are left behind, on purpose. */
        DROP
    }

    private final Builder settings;
    private volatile Plan plan;
    private PineconeClient client;

    private PineconeSource(Builder b) {
        this.settings = b;
    }

    /** A builder with the defaults named on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** How the index's records become rows; computed once, from the control plane and the index's statistics. */
    record Plan(String collection, int dimension, boolean dense, boolean sparse, boolean dropSparse,
                MetricType metric, CollectionSchema schema, Map<String, MetadataType> typed, List<PineconeSplit> splits) {
    }

    @Override
    public String describe() {
        return "pinecone:" + settings.controllerUrl + "/" + settings.index;
    }

    @Override
    public List<SourceCollection> collections() {
        Plan p = plan();
        long rows = p.splits.stream().mapToLong(PineconeSplit::records).sum();
        return List.of(new SourceCollection(p.schema, rows));
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        return List.copyOf(plan().splits);
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        if (!(split instanceof PineconeSplit s)) {
            throw new IllegalArgumentException("not a Pinecone split: " + split);
        }
        Plan p = plan();
        if (!s.index().equals(settings.index)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": split " + s.id()
                    + " belongs to index " + s.index());
        }
        PineconeCursor cursor;
        try {
            cursor = from.isStart() ? PineconeCursor.start(settings.pageSize) : PineconeCursor.parse(from.cursor());
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": position of split " + s.id()
                    + ": " + e.getMessage());
        }
        return new PineconeSplitReader(client(), s, p, cursor, from.rowsRead(), settings.pageSize, describe());
    }

    @Override
    public Optional<IndexSpec> suggestedIndex(SourceCollection collection) {
        Plan p = plan();
        return Optional.of(p.dense
                ? IndexSpec.builder("AUTOINDEX").field(VALUES).metric(p.metric).build()
                : IndexSpec.builder("SPARSE_INVERTED_INDEX").field(SPARSE_VALUES).metric(MetricType.IP).build());
    }

    @Override
    public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        Plan p = plan();
        var out = new ArrayList<IndexSpec>();
        suggestedIndex(collection).ifPresent(out::add);
        if (p.dense && p.sparse) {
            out.add(IndexSpec.builder("SPARSE_INVERTED_INDEX").field(SPARSE_VALUES).metric(MetricType.IP).build());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private synchronized PineconeClient client() {
        if (client == null) {
            client = PineconeClient.open(settings.apiKey, settings.controllerUrl, settings.index, settings.host,
                    settings.useTls, settings.timeout, describe());
        }
        return client;
    }

    private Plan plan() {
        Plan p = plan;
        if (p == null) {
            synchronized (this) {
                if (plan == null) {
                    plan = scan(client());
                }
                p = plan;
            }
        }
        return p;
    }

    private Plan scan(PineconeClient c) {
        var model = c.model();
        String where = describe();
        String vectorType = model.getVectorType() == null ? "dense" : model.getVectorType();
        boolean dense = switch (vectorType) {
            case "dense" -> true;
            case "sparse" -> false;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has vector type "
                    + vectorType + "; dense and sparse are known");
        };
        MetricType metric = metric(model.getMetric(), where);
        int dim = model.getDimension() == null ? 0 : model.getDimension();
        if (dense && dim <= 0) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + " is a dense index without a dimension");
        }
        if (!dense && settings.sparse == SparseValues.DROP) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, where + " is a sparse index: its sparse values "
                    + "are all it holds, so sparseValues cannot be DROP");
        }

        var stats = c.stats();
        Map<String, NamespaceSummary> all = new TreeMap<>(stats.getNamespacesMap());
        List<String> names;
        if (settings.namespaces.isEmpty()) {
            names = List.copyOf(all.keySet());
        } else {
            names = new ArrayList<>();
            for (String n : settings.namespaces) {
                String found = all.containsKey(n) ? n
                        : isDefault(n) ? all.keySet().stream().filter(PineconeSource::isDefault).findFirst()
                        .orElse(null) : null;
                if (found == null) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, where + " has no namespace '" + n
                            + "' (it has " + all.keySet() + ")");
                }
                names.add(found);
            }
        }
        var splits = new ArrayList<PineconeSplit>();
        var partitions = new ArrayList<String>();
        var byPartition = new LinkedHashMap<String, String>();
        for (String ns : names) {
            String partition = partition(ns);
            String other = byPartition.putIfAbsent(partition, ns);
            if (other != null) {
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": namespaces '" + other
                        + "' and '" + ns + "' would both go to partition '" + partition + "'");
            }
            if (!partition.isEmpty()) {
                partitions.add(partition);
            }
            // the default namespace's split id does not depend on how the API version names it ("" or __default__)
            splits.add(new PineconeSplit("namespace/" + (isDefault(ns) ? DEFAULT_NAMESPACE : ns), settings.index, ns,
                    partition, Integer.toUnsignedLong(all.get(ns).getVectorCount())));   // a uint32 count
        }

        boolean sparse = !dense || switch (settings.sparse) {
            case INCLUDE -> true;
            case DROP -> false;
            case AUTO -> sampleHasSparse(c, splits);
        };

        var fields = new ArrayList<FieldSchema>();
        fields.add(FieldSchema.builder(ID, DataType.VARCHAR).primaryKey(true).maxLength(MAX_ID_BYTES).build());
        if (dense) {
            fields.add(FieldSchema.floatVector(VALUES, dim, metric));
        }
        if (sparse) {
            fields.add(FieldSchema.builder(SPARSE_VALUES, DataType.SPARSE_FLOAT_VECTOR).metric(MetricType.IP).build());
        }
        for (var e : settings.metadataFields.entrySet()) {
            String key = e.getKey();
            if (!FIELD_NAME.matcher(key).matches() || key.equals(ID) || key.equals(VALUES)
                    || key.equals(SPARSE_VALUES)) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, where + ": metadata key '" + key
                        + "' cannot be a Milvus field name (letters, digits, _; not id, values, sparse_values)");
            }
            var f = FieldSchema.builder(key, switch (e.getValue()) {
                case STRING -> DataType.VARCHAR;
                case NUMBER -> DataType.DOUBLE;
                case BOOLEAN -> DataType.BOOL;
                case STRING_LIST -> DataType.ARRAY;
            }).nullable(settings.nullableFields);
            if (e.getValue() == MetadataType.STRING) {
                f.maxLength(MAX_METADATA_BYTES);
            } else if (e.getValue() == MetadataType.STRING_LIST) {
                f.elementType(DataType.VARCHAR).maxLength(MAX_METADATA_BYTES).maxCapacity(MAX_LIST_ELEMENTS);
            }
            fields.add(f.build());
        }
        String collection = settings.collection != null ? settings.collection
                : settings.index.replace('-', '_');
        CollectionSchema schema;
        try {
            schema = CollectionSchema.builder(collection).fields(fields).dynamicField(true)
                    .partitions(partitions).description("from Pinecone index " + settings.index).build();
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, where + ": " + e.getMessage(), e);
        }
        return new Plan(collection, dim, dense, sparse, dense && settings.sparse == SparseValues.DROP, metric, schema,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings.metadataFields)),
                List.copyOf(splits));
    }

    /** Whether a list page of records of each of the first namespaces holds any sparse values. */
    private boolean sampleHasSparse(PineconeClient c, List<PineconeSplit> splits) {
        for (PineconeSplit s : splits.subList(0, Math.min(SAMPLED_NAMESPACES, splits.size()))) {
            var ids = c.list(s.namespace(), Math.min(settings.pageSize, PineconeClient.MAX_FETCH_IDS), "")
                    .getVectorsList().stream().map(io.pinecone.proto.ListItem::getId).toList();
            if (!ids.isEmpty() && c.fetch(s.namespace(), ids).getVectorsMap().values().stream()
                    .anyMatch(v -> v.hasSparseValues() && v.getSparseValues().getIndicesCount() > 0)) {
                return true;
            }
        }
        return false;
    }

    static MetricType metric(String metric, String where) {
        String m = metric == null ? "" : metric.toLowerCase(Locale.ROOT);
        return switch (m) {
            case "cosine" -> MetricType.COSINE;
            case "dotproduct" -> MetricType.IP;
            case "euclidean" -> MetricType.L2;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has metric " + metric
                    + "; cosine, dotproduct and euclidean are known");
        };
    }

    static boolean isDefault(String namespace) {
        return namespace.isEmpty() || namespace.equals(DEFAULT_NAMESPACE);
    }

    /**
     * The partition a namespace goes to: the default one for the default namespace, the namespace's name where it is
     * a Milvus partition name, else that name with each character other than a letter, digit or _ replaced by _
     * (and a leading {@code ns_} where it does not start with a letter or _).
     */
    static String partition(String namespace) {
        if (isDefault(namespace)) {
            return "";
        }
        if (PARTITION_NAME.matcher(namespace).matches() && !namespace.equals("_default")) {
            return namespace;
        }
        String p = namespace.replaceAll("[^A-Za-z0-9_]", "_");
        if (!Character.isLetter(p.charAt(0)) && p.charAt(0) != '_' || p.equals("_default")) {
            p = "ns_" + p;   // _default is the name of Milvus's default partition
        }
        return p.length() > 255 ? p.substring(0, 255) : p;
    }

    /** Settings of a {@link PineconeSource}; {@link #build()} freezes them. */
    public static final class Builder {
        private String index;
        private String apiKey;
        private String controllerUrl = "https://api.pinecone.io";
        private String host;
        private boolean useTls = true;
        private List<String> namespaces = List.of();
        private String collection;
        private int pageSize = 100;
        private SparseValues sparse = SparseValues.AUTO;
        private final Map<String, MetadataType> metadataFields = new LinkedHashMap<>();
        private boolean nullableFields = true;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The index to read. Required. */
        public Builder index(String index) {
            this.index = requireNonNull(index, "index is null");
            return this;
        }

        /**
         * The API key (a secret: it appears in no description, log or error of this library; Pinecone's client
         * logs requests with their headers when the environment variable {@code PINECONE_DEBUG} is true, so leave
         * that unset). Required.
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = requireNonNull(apiKey, "apiKey is null");
            return this;
        }

        /**
         * The control plane's URL, such as {@code http://localhost:5080} for Pinecone Local. Default
         * {@code https://api.pinecone.io}.
         */
        public Builder controllerUrl(String controllerUrl) {
            this.controllerUrl = requireNonNull(controllerUrl, "controllerUrl is null");
            return this;
        }

        /** The data plane's host:port, instead of the host the control plane names. Default none. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Whether the data plane is spoken to over TLS (Pinecone Local has none). Default true. */
        public Builder useTls(boolean useTls) {
            this.useTls = useTls;
            return this;
        }

        /**
         * The namespaces to read ("" or {@code __default__} for the default one). Default empty: every namespace the
         * index's statistics name.
         */
        public Builder namespaces(List<String> namespaces) {
            this.namespaces = List.copyOf(requireNonNull(namespaces, "namespaces is null"));
            return this;
        }

        /** The collection's name. Default the index's name with each - replaced by _. */
        public Builder collection(String collection) {
            this.collection = requireNonNull(collection, "collection is null");
            return this;
        }

        /** Ids per list request (Pinecone's default page is 100). Default 100. */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be positive: " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /** Whether a dense index's sparse values are migrated. Default {@link SparseValues#AUTO}. */
        public Builder sparseValues(SparseValues mode) {
            this.sparse = requireNonNull(mode, "mode is null");
            return this;
        }

        /**
         * Makes metadata key {@code key} a typed field of the same name instead of a key of the dynamic field. A
         * record whose value has another type fails, naming the record and key. Default none.
         */
        public Builder metadataField(String key, MetadataType type) {
            metadataFields.put(requireNonNull(key, "key is null"), requireNonNull(type, "type is null"));
            return this;
        }

        /**
         * Whether typed metadata fields are nullable (a record without the key gets a null). False for targets
         * without nullable fields (Milvus before 2.5): then a record without the key fails, naming it. Default true.
         */
        public Builder nullableFields(boolean nullable) {
            this.nullableFields = nullable;
            return this;
        }

        /** The deadline of each data-plane request (the control plane's one call has OkHttp's timeouts). Default 60 s. */
        public Builder requestTimeout(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /**
         * The source; does no I/O (the index is described when collections are listed).
         *
         * @throws IllegalStateException if the index or the API key is missing
         */
        public PineconeSource build() {
            if (index == null || index.isBlank()) {
                throw new IllegalStateException("index is not set");
            }
            if (apiKey == null || apiKey.isEmpty()) {
                throw new IllegalStateException("apiKey is not set");
            }
            var frozen = new Builder();
            frozen.index = index;
            frozen.apiKey = apiKey;
            frozen.controllerUrl = controllerUrl;
            frozen.host = host;
            frozen.useTls = useTls;
            frozen.namespaces = namespaces;
            frozen.collection = collection;
            frozen.pageSize = pageSize;
            frozen.sparse = sparse;
            frozen.metadataFields.putAll(metadataFields);
            frozen.nullableFields = nullableFields;
            frozen.timeout = timeout;
            return new PineconeSource(frozen);
        }

        @Override
        public String toString() {
            return "PineconeSource.Builder[index=" + index + ", controllerUrl=" + controllerUrl + "]";
        }
    }
}
