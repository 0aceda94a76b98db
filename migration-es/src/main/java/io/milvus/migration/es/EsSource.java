package io.milvus.migration.es;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SkippedRow;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Elasticsearch 7.x/8.x and OpenSearch 2.x indices. Each index becomes a collection whose schema comes from
 * the index's mapping (overridable field by field); the {@code _id} is the VarChar primary key unless a field is
 * named as the key, and fields not in the schema go to the dynamic field. An index is read in {@link
 * Builder#slices(int) slices}, one {@link Split} each, with point-in-time + {@code search_after} pages where the
 * server has point-in-time search (Elasticsearch 7.10+, OpenSearch 2.4+), sliced scroll otherwise; a batch's
 * position holds the slice's last sort values, so a stopped migration continues inside a slice.
 *
 * <pre>{@code
 * EsSource source = EsSource.builder()
 *         .connection(EsConnection.builder().url("http://127.0.0.1:9200").basicAuth("elastic", secret).build())
 *         .index("products").slices(4).build();
 * }</pre>
 *
 * <p>Thread-safe: the engine may open readers of several slices at once; the source starts no threads. Closing it
 * closes the points in time it opened and its HTTP client.
 */
public final class EsSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(EsSource.class);

    /** How date and date_nanos fields arrive in Milvus. */
    public enum DateMode {
        /** Int64: epoch milliseconds for {@code date}, epoch nanoseconds for {@code date_nanos}. */
        EPOCH,
        /** VarChar: the value as the document holds it. */
        VARCHAR
    }

    /** What happens to a document whose vector is missing or has another dimension than the schema's. */
    public enum BadVectors {
        /** The migration fails, naming the document's index and {@code _id}. */
        FAIL,
        /** The document is left out, counted and listed by {@link #skippedDocuments()}. */
        SKIP
    }

    /** How an index is paged through. */
    public enum ReadMode {
        /** Point in time where the server has it, scroll otherwise. */
        AUTO,
        /** Point in time + search_after; fails on servers without it. */
        PIT,
        /** Sliced scroll; resuming inside a slice re-reads the slice up to the position. */
        SCROLL
    }

    final Settings settings;
    private final EsHttp http;
    private volatile EsServer server;
    private volatile List<EsLayout> layouts;
    private final Map<String, String> pits = new ConcurrentHashMap<>();
    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

    private EsSource(Settings settings) {
        this.settings = settings;
        this.http = new EsHttp(settings.connection);
    }

    /** A builder with no connection and no index; both are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return "elasticsearch:" + String.join(",", settings.connection.urls()) + "/" + String.join(",", settings.indices);
    }

    /** The server read, detected from {@code GET /_nodes/_local} (or the configured version if that is refused). */
    EsServer server() {
        EsServer s = server;
        if (s == null) {
            synchronized (this) {
                if (server == null) {
                    try {
                        server = http.server();
                    } catch (EsHttp.Refused e) {
                        if (settings.version == null) {
                            throw e;
                        }
                        server = EsServer.parse(settings.openSearch ? EsServer.Flavour.OPENSEARCH
                                : EsServer.Flavour.ELASTICSEARCH, settings.version);
                    }
                    LOG.info("{}: {}", describe(), server);
                }
                s = server;
            }
        }
        return s;
    }

    /** Layouts of all collections, resolved once from the mappings. */
    List<EsLayout> layouts() {
        List<EsLayout> l = layouts;
        if (l == null) {
            synchronized (this) {
                if (layouts == null) {
                    layouts = resolve();
                }
                l = layouts;
            }
        }
        return l;
    }

    EsLayout layout(String collection) {
        for (EsLayout l : layouts()) {
            if (l.schema().name().equals(collection)) {
                return l;
            }
        }
        throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + " has no collection " + collection);
    }

    private List<EsLayout> resolve() {
        var out = new ArrayList<EsLayout>();
        var names = new java.util.HashSet<String>();
        for (String expression : settings.indices) {
            JsonNode mappings = http.get("/" + expression + "/_mapping");
            var byIndex = new TreeMap<String, JsonNode>();
            mappings.fields().forEachRemaining(e -> byIndex.put(e.getKey(), e.getValue().path("mappings")));
            if (byIndex.isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": " + expression
                        + " names no index");
            }
            var groups = new LinkedHashMap<String, Map<String, JsonNode>>();
            if (settings.merge) {
                groups.put(expression, byIndex);
            } else {
                byIndex.forEach((index, m) -> groups.put(index, Map.of(index, m)));
            }
            for (var g : groups.entrySet()) {
                String collection = settings.names.getOrDefault(g.getKey(), collectionName(g.getKey()));
                if (!names.add(collection)) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": two indices become "
                            + "collection " + collection + "; name them apart with collectionName(...) or merge them");
                }
                out.add(EsMapping.layout(collection, List.copyOf(g.getValue().keySet()), g.getValue(), settings));
            }
        }
        return List.copyOf(out);
    }

    /** An index name as a Milvus collection name: letters, digits and underscores, not starting with a digit. */
    static String collectionName(String index) {
        String n = index.replaceAll("[^A-Za-z0-9_]", "_");
        return n.isEmpty() || Character.isDigit(n.charAt(0)) ? "_" + n : n;
    }

    @Override
    public List<SourceCollection> collections() {
        var out = new ArrayList<SourceCollection>();
        for (EsLayout l : layouts()) {
            out.add(new SourceCollection(l.schema(), count(l)));
        }
        return out;
    }

    long count(EsLayout l) {
        var body = EsHttp.JSON.createObjectNode();
        if (settings.query != null) {
            body.set("query", settings.query);
        }
        return http.post("/" + l.indexPath() + "/_count", Map.of(), body).path("count").asLong(-1);
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        EsLayout l = layout(collection.schema().name());
        long rows = collection.estimatedRows();
        String pit = usesPit() ? pits.computeIfAbsent(l.schema().name(), k -> openPit(l)) : "";
        var out = new ArrayList<Split>();
        for (int i = 0; i < settings.slices; i++) {
            long est = rows < 0 ? -1 : rows / settings.slices + (i < rows % settings.slices ? 1 : 0);
            out.add(new EsSplit(l.schema().name(), l.indexPath(), i, settings.slices, pit, est));
        }
        return out;
    }

    boolean usesPit() {
        return switch (settings.readMode) {
            case SCROLL -> false;
            case PIT -> {
                if (!server().hasPit()) {
                    throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, describe() + ": " + server()
                            + " has no point-in-time search; read it with ReadMode.SCROLL or AUTO");
                }
                yield true;
            }
            case AUTO -> server().hasPit();
        };
    }

    String openPit(EsLayout l) {
        JsonNode r = http.post(server().openPitPath(l.indexPath()),
                Map.of("keep_alive", keepAlive()), null);
        String id = r.has("pit_id") ? r.path("pit_id").asText() : r.path("id").asText();
        if (id.isEmpty()) {
            throw new MigrationException(ErrorCode.SOURCE_IO, describe() + ": opening a point in time over "
                    + l.indexPath() + " returned no id");
        }
        return id;
    }

    void closePit(String id) {
        try {
            if (server().flavour() == EsServer.Flavour.OPENSEARCH) {
                http.delete("/_search/point_in_time", Map.of("pit_id", List.of(id)));
            } else {
                http.delete("/_pit", Map.of("id", id));
            }
        } catch (MigrationException e) {
            LOG.debug("closing a point in time failed (it expires by itself): {}", e.getMessage());
        }
    }

    String keepAlive() {
        return Math.max(1, settings.keepAlive.toSeconds()) + "s";
    }

    EsHttp http() {
        return http;
    }

    SkippedRow skip(String index, String id, String why) {
        skipped.add(index + "/" + id);
        LOG.warn("{}: document {} of {} left out: {}", describe(), id, index, why);
        return new SkippedRow(index + "/" + id, why);
    }

    /**
     * The documents left out by {@link BadVectors#SKIP}, as {@code index/_id}, in the order they were met. Safe to
     * call from any thread, also while reading.
     *
     * @return the skipped documents; empty when none was skipped
     */
    public List<String> skippedDocuments() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        if (!(split instanceof EsSplit s)) {
            throw new IllegalArgumentException("not a split of an Elasticsearch source: " + split);
        }
        return new EsSplitReader(this, layout(s.collection()), s, from, s.pitId().isEmpty() ? usesPit() : true);
    }

    @Override
    public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        return layout(collection.schema().name()).indexes();
    }

    @Override
    public void close() {
        pits.values().forEach(this::closePit);
        pits.clear();
        http.close();
    }

    @Override
    public String toString() {
        return "EsSource[" + describe() + "]";
    }

    /** The frozen settings (package-private: the mapping and the reader read them). */
    static final class Settings {
        final EsConnection connection;
        final List<String> indices;
        final boolean merge;
        final Map<String, String> names;
        final int slices;
        final int pageSize;
        final JsonNode query;
        final List<String> includes;
        final List<String> excludes;
        final Map<String, FieldSchema> overrides;
        final List<FieldSchema> explicitFields;
        final String primaryKey;
        final int varcharMaxLength;
        final boolean truncate;
        final DateMode dates;
        final BadVectors badVectors;
        final boolean dynamicField;
        final boolean nullableFields;
        final ReadMode readMode;
        final Duration keepAlive;
        final String version;
        final boolean openSearch;

        private Settings(Builder b) {
            connection = b.connection;
            indices = List.copyOf(b.indices);
            merge = b.merge;
            names = Map.copyOf(b.names);
            slices = b.slices;
            pageSize = b.pageSize;
            query = b.query;
            includes = List.copyOf(b.includes);
            excludes = List.copyOf(b.excludes);
            overrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.overrides));
            explicitFields = b.explicitFields == null ? null : List.copyOf(b.explicitFields);
            primaryKey = b.primaryKey;
            varcharMaxLength = b.varcharMaxLength;
            truncate = b.truncate;
            dates = b.dates;
            badVectors = b.badVectors;
            dynamicField = b.dynamicField;
            nullableFields = b.nullableFields;
            readMode = b.readMode;
            keepAlive = b.keepAlive;
            version = b.version;
            openSearch = b.openSearch;
        }
    }

    /** Builds an {@link EsSource}. Not thread-safe. */
    public static final class Builder {
        private EsConnection connection;
        private final List<String> indices = new ArrayList<>();
        private boolean merge;
        private final Map<String, String> names = new LinkedHashMap<>();
        private int slices = 4;
        private int pageSize = 1000;
        private JsonNode query;
        private final List<String> includes = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private final Map<String, FieldSchema> overrides = new LinkedHashMap<>();
        private List<FieldSchema> explicitFields;
        private String primaryKey = EsMapping.ID;
        private int varcharMaxLength = FieldSchema.MAX_VARCHAR_LENGTH;
        private boolean truncate;
        private DateMode dates = DateMode.EPOCH;
        private BadVectors badVectors = BadVectors.FAIL;
        private boolean dynamicField = true;
        private boolean nullableFields = true;
        private ReadMode readMode = ReadMode.AUTO;
        private Duration keepAlive = Duration.ofMinutes(5);
        private String version;
        private boolean openSearch;

        private Builder() {
        }

        /** The cluster to read. Required. */
        public Builder connection(EsConnection c) {
            this.connection = requireNonNull(c, "connection is null");
            return this;
        }

        /** Adds an index, alias or wildcard pattern (comma lists allowed). At least one is required. */
        public Builder index(String expression) {
            requireNonNull(expression, "index is null");
            if (expression.isBlank()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "index name is blank");
            }
            indices.add(expression.trim());
            return this;
        }

        /** Adds indices, aliases or patterns. */
        public Builder indices(List<String> expressions) {
            requireNonNull(expressions, "indices is null").forEach(this::index);
            return this;
        }

        /**
         * Whether all indices an {@link #index(String) expression} names (an alias, a pattern, a comma list) go into
         * one collection named after the expression, their mappings merged. Default false: one collection per index.
         */
        public Builder merge(boolean merged) {
            this.merge = merged;
            return this;
        }

        /** The collection an index (or, when merged, an expression) becomes. Default the index name with
         * characters Milvus refuses replaced by {@code _}. */
        public Builder collectionName(String indexOrExpression, String collection) {
            names.put(requireNonNull(indexOrExpression, "index is null"), requireNonNull(collection, "collection is null"));
            return this;
        }

        /** Slices each index is cut into, one split each, read in parallel up to the migration's parallelism.
         * Keep it the same when resuming. Default 4. */
        public Builder slices(int n) {
            if (n < 1 || n > 1024) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "slices must be 1..1024: " + n);
            }
            this.slices = n;
            return this;
        }

        /** Documents per search request (a batch never holds more). Default 1000. */
        public Builder pageSize(int n) {
            if (n < 1 || n > 10_000) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "pageSize must be 1..10000: " + n);
            }
            this.pageSize = n;
            return this;
        }

        /**
         * A query (the JSON of a search's {@code query} object) selecting the documents to migrate. Default all.
         *
         * @throws MigrationException {@code INVALID_CONFIG} if it is not a JSON object
         */
        public Builder query(String json) {
            requireNonNull(json, "query is null");
            try {
                JsonNode q = EsHttp.JSON.readTree(json);
                if (q == null || !q.isObject()) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "query must be a JSON object: " + json);
                }
                this.query = q;
            } catch (JsonProcessingException e) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "query is not JSON: "
                        + e.getOriginalMessage());
            }
            return this;
        }

        /** {@code _source} fields to read (wildcards allowed). Default all. */
        public Builder sourceIncludes(List<String> fields) {
            includes.addAll(requireNonNull(fields, "includes is null"));
            return this;
        }

        /** {@code _source} fields not to read (wildcards allowed); vectors among them are read from {@code fields}.
         * Default none. */
        public Builder sourceExcludes(List<String> fields) {
            excludes.addAll(requireNonNull(fields, "excludes is null"));
            return this;
        }

        /**
         * Replaces the schema the mapping gives one field (its type, dimension, max length, element type, metric,
         * primary key flag). A field not in the mapping is added. Default the mapping's.
         */
        public Builder field(FieldSchema field) {
            requireNonNull(field, "field is null");
            overrides.put(field.name(), field);
            return this;
        }

        /**
         * The whole schema: these fields only, in this order (plus the {@code _id} key when none of them is the
         * primary key), as the old tool's {@code meta.fields}; a vector field takes the metric of the mapping's
         * {@code similarity} (give another with {@link #field(FieldSchema)}). Default: every field of the mapping.
         */
        public Builder fields(List<FieldSchema> fields) {
            this.explicitFields = List.copyOf(requireNonNull(fields, "fields is null"));
            return this;
        }

        /** The field that becomes the primary key: a keyword or long field, or {@code _id}. Default {@code _id}. */
        public Builder primaryKey(String field) {
            this.primaryKey = requireNonNull(field, "primaryKey is null");
            return this;
        }

        /** Max length in bytes of VarChar fields from text fields. Default 65,535. */
        public Builder varcharMaxLength(int n) {
            if (n < 1 || n > FieldSchema.MAX_VARCHAR_LENGTH) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "varcharMaxLength must be 1..65535: " + n);
            }
            this.varcharMaxLength = n;
            return this;
        }

        /** Whether a text longer than its field's max length is cut (at a character boundary) instead of failing
         * the migration with the document's {@code _id}. Default false. */
        public Builder truncateLongStrings(boolean truncate) {
            this.truncate = truncate;
            return this;
        }

        /** How dates arrive. Default {@link DateMode#EPOCH}. */
        public Builder dates(DateMode mode) {
            this.dates = requireNonNull(mode, "dates is null");
            return this;
        }

        /** What to do with documents whose vector is missing or of another dimension. Default {@link BadVectors#FAIL}. */
        public Builder badVectors(BadVectors policy) {
            this.badVectors = requireNonNull(policy, "badVectors is null");
            return this;
        }

        /** Whether fields not in the schema go to the collection's dynamic field (else they are dropped). Default true. */
        public Builder dynamicField(boolean on) {
            this.dynamicField = on;
            return this;
        }

        /**
         * Whether fields from the mapping are nullable, since a document may lack any of them. Turn it off for a
         * target without nullable fields (Milvus before 2.5): a document lacking a value then fails, naming it.
         * Default true.
         */
        public Builder nullableFields(boolean on) {
            this.nullableFields = on;
            return this;
        }

        /** How indices are paged through. Default {@link ReadMode#AUTO}. */
        public Builder readMode(ReadMode mode) {
            this.readMode = requireNonNull(mode, "readMode is null");
            return this;
        }

        /** How long the server keeps a point in time or scroll between two pages. Default 5 minutes. */
        public Builder keepAlive(Duration d) {
            requireNonNull(d, "keepAlive is null");
            if (d.toSeconds() < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "keepAlive must be at least 1 s: " + d);
            }
            this.keepAlive = d;
            return this;
        }

        /**
         * The server's version ({@code 8.19}, {@code 7.17}, {@code 2.19} with {@code openSearch}), used when the
         * credentials may not read {@code /_nodes/_local}. Default: detected.
         */
        public Builder version(String v, boolean isOpenSearch) {
            EsServer.parse(EsServer.Flavour.ELASTICSEARCH, requireNonNull(v, "version is null"));
            this.version = v;
            this.openSearch = isOpenSearch;
            return this;
        }

        /**
         * Freezes the settings. Connects to nothing yet.
         *
         * @throws MigrationException {@code INVALID_CONFIG} without a connection or an index
         */
        public EsSource build() {
            if (connection == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Elasticsearch source needs a connection");
            }
            if (indices.isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Elasticsearch source needs an index");
            }
            return new EsSource(new Settings(this));
        }
    }
}
