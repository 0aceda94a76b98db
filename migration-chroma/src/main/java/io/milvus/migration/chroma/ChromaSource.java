package io.milvus.migration.chroma;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads collections of a Chroma 1.x server over its HTTP API v2: one tenant and database, all or some of its
 * collections. Each record becomes a row with {@code id} (VARCHAR primary key, max length the longest id),
 * {@code embedding} (FLOAT_VECTOR of the collection's dimension, metric from its {@code hnsw:space}: l2 → L2, ip →
 * IP, cosine → COSINE), {@code document} (VARCHAR, when any record has one) and its metadata: by default a key
 * becomes a scalar field (BOOL, INT64, DOUBLE or VARCHAR) when every record has it with one type, and goes to the
 * dynamic field otherwise ({@link MetadataMapping}, {@link Builder#metadataField}).
 *
 * <p>Reading the schema scans the ids, documents and metadata of each collection once (not the embeddings). Splits
 * are offset ranges of Chroma's storage order, read with {@code get(offset, limit)}; a position's cursor is the offset
 * of the next record, so the collection must not change during a migration. Thread-safe; starts no threads.
 */
public final class ChromaSource implements Source {
    /** The fields every Chroma row has. */
    public static final String ID = "id";
    /** The vector field. */
    public static final String EMBEDDING = "embedding";
    /** The document field. */
    public static final String DOCUMENT = "document";

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final int SCAN_PAGE = 1000;

    /** Where metadata keys go. */
    public enum MetadataMapping {
        /** A key becomes a scalar field when every record has it with one type; the others go to the dynamic field. */
        FIELDS_WHERE_UNIFORM,
        /** Every key goes to the dynamic field (except those named by {@link Builder#metadataField}). */
        DYNAMIC
    }

    private final Builder settings;
    private final ChromaClient client;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();

    private ChromaSource(Builder b) {
        this.settings = b;
        this.client = new ChromaClient(b.url, b.tokenHeader, b.token, b.timeout);
    }

    /** A builder with the defaults named on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** How a collection's records become rows: computed once per collection by a metadata scan. */
    record Plan(ChromaClient.CollectionInfo info, long count, CollectionSchema schema, Map<String, DataType> scalars,
                boolean document, MetricType metric, int m, int efConstruction) {
    }

    @Override
    public String describe() {
        return "chroma:" + settings.url + "/" + settings.tenant + "/" + settings.database;
    }

    @Override
    public List<SourceCollection> collections() {
        List<String> names = settings.collections;
        if (names.isEmpty()) {
            names = client.collections(settings.tenant, settings.database).stream()
                    .map(ChromaClient.CollectionInfo::name).sorted().toList();
        }
        var out = new ArrayList<SourceCollection>();
        for (String name : names) {
            Plan p = plan(name);
            out.add(new SourceCollection(p.schema, p.count));
        }
        return out;
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        Plan p = plan(collection.schema().name());
        var out = new ArrayList<Split>();
        for (long off = 0; off < p.count; off += settings.partRows) {
            out.add(new ChromaSplit(p.info.name() + "/" + off, p.info.name(), p.info.id(), off,
                    Math.min(settings.partRows, p.count - off)));
        }
        return out;
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        if (!(split instanceof ChromaSplit s)) {
            throw new IllegalArgumentException("not a Chroma split: " + split);
        }
        Plan p = plan(s.collection());
        if (!p.info.id().equals(s.collectionId())) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, describe() + ": collection " + s.collection()
                    + " now has id " + p.info.id() + ", split " + s.id() + " was cut from " + s.collectionId()
                    + " (recreated since?)");
        }
        long next;
        try {
            next = from.isStart() ? s.offset() : from.cursorAsLong();
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": " + e.getMessage());
        }
        if (next < s.offset() || next > s.offset() + s.rows() || next - s.offset() != from.rowsRead()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": position " + from
                    + " is not inside split " + s.id() + " (records " + s.offset() + ".." + (s.offset() + s.rows())
                    + ")");
        }
        return new ChromaSplitReader(client, settings.tenant, settings.database, s, p, next);
    }

    @Override
    public Optional<IndexSpec> suggestedIndex(SourceCollection collection) {
        Plan p = plan(collection.schema().name());
        return Optional.of(IndexSpec.builder("HNSW").field(EMBEDDING).metric(p.metric)
                .param("M", p.m).param("efConstruction", p.efConstruction).build());
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return describe();
    }

    private Plan plan(String name) {
        return plans.computeIfAbsent(name, this::scan);
    }

    private Plan scan(String name) {
        var info = client.collection(settings.tenant, settings.database, name);
        long count = client.count(settings.tenant, settings.database, info.id());
        int idBytes = 1;
        int docBytes = 0;
        boolean anyDoc = false;
        boolean nullDoc = false;
        var keys = new TreeMap<String, KeyStats>();
        for (long off = 0; off < count; off += SCAN_PAGE) {
            var r = client.get(settings.tenant, settings.database, info.id(), off, SCAN_PAGE,
                    List.of("documents", "metadatas"));
            if (r.ids().isEmpty()) {
                break;
            }
            for (int i = 0; i < r.ids().size(); i++) {
                String id = r.ids().get(i);
                idBytes = Math.max(idBytes, utf8(id));
                JsonNode doc = r.documents() == null ? null : r.documents().get(i);
                if (doc != null && !doc.isNull()) {
                    anyDoc = true;
                    docBytes = Math.max(docBytes, utf8(doc.asText()));
                } else {
                    nullDoc = true;
                }
                JsonNode md = r.metadatas() == null ? null : r.metadatas().get(i);
                if (md != null && md.isObject()) {
                    md.fields().forEachRemaining(e -> keys.computeIfAbsent(e.getKey(), k -> new KeyStats())
                            .see(e.getValue()));
                }
            }
        }
        long records = count;
        String where = describe() + "/" + name;
        if (idBytes > FieldSchema.MAX_VARCHAR_LENGTH) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has an id of " + idBytes
                    + " bytes; a Milvus VARCHAR key holds at most " + FieldSchema.MAX_VARCHAR_LENGTH);
        }
        if (docBytes > FieldSchema.MAX_VARCHAR_LENGTH) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has a document of " + docBytes
                    + " bytes; a Milvus VARCHAR holds at most " + FieldSchema.MAX_VARCHAR_LENGTH);
        }
        int dim = info.dimension();
        if (dim <= 0 && count > 0) {
            var first = client.get(settings.tenant, settings.database, info.id(), 0, 1, List.of("embeddings"));
            dim = first.embeddings() == null ? 0 : first.embeddings().path(0).size();
        }
        if (dim <= 0) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where
                    + " has no dimension yet (no embeddings); nothing to migrate");
        }
        JsonNode hnsw = info.configuration() == null ? null : info.configuration().get("hnsw");
        JsonNode md = info.metadata();
        String space = text(hnsw, "space", text(md, "hnsw:space", "l2"));
        MetricType metric = switch (space) {
            case "l2" -> MetricType.L2;
            case "ip" -> MetricType.IP;
            case "cosine" -> MetricType.COSINE;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has space " + space
                    + "; l2, ip and cosine are known");
        };
        int m = (int) number(hnsw, "max_neighbors", number(md, "hnsw:M", 16));
        int ef = (int) number(hnsw, "ef_construction", number(md, "hnsw:construction_ef", 100));

        var fields = new ArrayList<FieldSchema>();
        fields.add(FieldSchema.builder(ID, DataType.VARCHAR).primaryKey(true).maxLength(idBytes).build());
        fields.add(FieldSchema.floatVector(EMBEDDING, dim, metric));
        if (anyDoc) {
            fields.add(FieldSchema.builder(DOCUMENT, DataType.VARCHAR).maxLength(Math.max(docBytes, 1))
                    .nullable(nullDoc).build());
        }
        var scalars = new LinkedHashMap<String, DataType>();
        boolean dynamic = false;
        for (var e : keys.entrySet()) {
            String key = e.getKey();
            KeyStats st = e.getValue();
            DataType forced = settings.metadataFields.get(key);
            DataType type = forced != null ? forced
                    : settings.mapping == MetadataMapping.FIELDS_WHERE_UNIFORM && st.seen == records ? st.uniform()
                    : null;
            boolean nameOk = FIELD_NAME.matcher(key).matches() && !key.equals(ID) && !key.equals(EMBEDDING)
                    && !key.equals(DOCUMENT);
            if (forced != null && !nameOk) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, where + ": metadata key '" + key
                        + "' cannot be a Milvus field name (letters, digits, _; not id, embedding, document)");
            }
            if (type == DataType.VARCHAR && st.maxBytes > FieldSchema.MAX_VARCHAR_LENGTH && forced == null) {
                type = null;
            }
            if (type == null || !nameOk) {
                dynamic = true;
                continue;
            }
            var f = FieldSchema.builder(key, type).nullable(st.seen < records);
            if (type == DataType.VARCHAR) {
                f.maxLength(Math.min(Math.max(st.maxBytes, 1), FieldSchema.MAX_VARCHAR_LENGTH));
            }
            fields.add(f.build());
            scalars.put(key, type);
        }
        for (String key : settings.metadataFields.keySet()) {
            if (!keys.containsKey(key)) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, where + " has no record with metadata key '"
                        + key + "' named by metadataField");
            }
        }
        var schema = CollectionSchema.builder(name).fields(fields).dynamicField(dynamic).build();
        return new Plan(info, count, schema, scalars, anyDoc, metric, m, ef);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String text(JsonNode n, String key, String otherwise) {
        JsonNode v = n == null ? null : n.get(key);
        return v == null || v.isNull() ? otherwise : v.asText();
    }

    private static long number(JsonNode n, String key, long otherwise) {
        JsonNode v = n == null ? null : n.get(key);
        return v == null || !v.isNumber() ? otherwise : v.asLong();
    }

    /** What one metadata key holds across records. */
    private static final class KeyStats {
        long seen;
        DataType type;
        boolean mixed;
        int maxBytes;

        void see(JsonNode v) {
            if (v == null || v.isNull()) {
                return;
            }
            seen++;
            DataType t = v.isBoolean() ? DataType.BOOL : v.isIntegralNumber() ? DataType.INT64
                    : v.isNumber() ? DataType.DOUBLE : v.isTextual() ? DataType.VARCHAR : DataType.JSON;
            if (t == DataType.VARCHAR) {
                maxBytes = Math.max(maxBytes, utf8(v.asText()));
            }
            if (type == null) {
                type = t;
            } else if (type != t) {
                mixed = true;
            }
        }

        DataType uniform() {
            return mixed || type == DataType.JSON ? null : type;
        }
    }

    /** Settings of a {@link ChromaSource}; {@link #build()} freezes them. */
    public static final class Builder {
        private URI url = URI.create("http://localhost:8000");
        private String tenant = "default_tenant";
        private String database = "default_database";
        private List<String> collections = List.of();
        private String tokenHeader = "x-chroma-token";
        private String token;
        private long partRows = 10_000;
        private MetadataMapping mapping = MetadataMapping.FIELDS_WHERE_UNIFORM;
        private final Map<String, DataType> metadataFields = new LinkedHashMap<>();
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The server, such as {@code http://127.0.0.1:8000}. Default {@code http://localhost:8000}. */
        public Builder url(URI url) {
            this.url = requireNonNull(url, "url is null");
            return this;
        }

        /** The tenant. Default {@code default_tenant}. */
        public Builder tenant(String tenant) {
            this.tenant = requireNonNull(tenant, "tenant is null");
            return this;
        }

        /** The database. Default {@code default_database}. */
        public Builder database(String database) {
            this.database = requireNonNull(database, "database is null");
            return this;
        }

        /** The collections to read, by name. Default empty: every collection of the database. */
        public Builder collections(List<String> names) {
            this.collections = List.copyOf(requireNonNull(names, "collections is null"));
            return this;
        }

        /**
         * A token sent with every request, in header {@code x-chroma-token} (or {@code Authorization: Bearer} after
         * {@link #tokenHeader}{@code ("Authorization")}). Never logged. Default none.
         */
        public Builder token(String token) {
            this.token = requireNonNull(token, "token is null");
            return this;
        }

        /** The header carrying the token: {@code x-chroma-token} (the default) or {@code Authorization}. */
        public Builder tokenHeader(String header) {
            this.tokenHeader = requireNonNull(header, "header is null");
            return this;
        }

        /** Records per split (parts are read in parallel). Default 10000. */
        public Builder partRows(long rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("partRows must be positive: " + rows);
            }
            this.partRows = rows;
            return this;
        }

        /** Where metadata keys go. Default {@link MetadataMapping#FIELDS_WHERE_UNIFORM}. */
        public Builder metadata(MetadataMapping mapping) {
            this.mapping = requireNonNull(mapping, "mapping is null");
            return this;
        }

        /**
         * Makes metadata key {@code key} a field of this type (BOOL, INT8..INT64, FLOAT, DOUBLE, VARCHAR or JSON)
         * whatever the scan found; records without it hold null there. Default none.
         */
        public Builder metadataField(String key, DataType type) {
            requireNonNull(key, "key is null");
            requireNonNull(type, "type is null");
            if (type.isVector() || type == DataType.ARRAY) {
                throw new IllegalArgumentException("metadata key " + key + " cannot be a " + type + " field");
            }
            metadataFields.put(key, type);
            return this;
        }

        /** The timeout of each HTTP request. Default 60 s. */
        public Builder requestTimeout(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** The source; does no I/O (the server is asked when collections are listed). */
        public ChromaSource build() {
            var frozen = new Builder();
            frozen.url = url;
            frozen.tenant = tenant;
            frozen.database = database;
            frozen.collections = collections;
            frozen.tokenHeader = tokenHeader;
            frozen.token = token;
            frozen.partRows = partRows;
            frozen.mapping = mapping;
            frozen.metadataFields.putAll(metadataFields);
            frozen.timeout = timeout;
            return new ChromaSource(frozen);
        }
    }
}
