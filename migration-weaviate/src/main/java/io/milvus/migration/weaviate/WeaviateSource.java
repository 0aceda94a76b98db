package io.milvus.migration.weaviate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads classes (collections) of a Weaviate 1.x server over its REST API. Each object becomes a row with {@code id}
 * (its uuid, VARCHAR(36) primary key), one FLOAT_VECTOR field per vector ({@code vector} for a class's legacy vector,
 * the vector's name for named vectors; dimension from the first object that has it, metric from the index's
 * {@code distance}: cosine → COSINE, dot → IP, l2-squared → L2) and one field per property: text → VARCHAR, int →
 * INT64, number → DOUBLE, boolean → BOOL, date → INT64 epoch milliseconds (or VARCHAR with
 * {@link DateMapping#TEXT}), uuid → VARCHAR(36), blob → VARCHAR (base64), their arrays → ARRAY;
 * object, geoCoordinates and phoneNumber → JSON; object[] and cross-references → VARCHAR holding their JSON text (a
 * Milvus JSON field holds objects only, not arrays). Property fields are nullable (an object
 * may lack any property) unless {@link Builder#nullableFields}{@code (false)}.
 *
 * <p>A multi-tenant class's tenants become Milvus partitions of the same names. Splits are ranges of the uuid's first
 * 32 bits per tenant ({@link Builder#partRows} objects each, going by the tenant's count), read in uuid order with
 * {@code GET /v1/objects?after=}; a position's cursor is the last uuid read, so a stopped migration resumes inside its
 * split; objects added behind the cursor meanwhile are not seen. Thread-safe; starts no threads.
 */
public final class WeaviateSource implements Source {
    /** The primary key field: the object's uuid. */
    public static final String ID = WeaviateMapping.ID;
    /** The field of a class's legacy (unnamed) vector. */
    public static final String VECTOR = WeaviateMapping.VECTOR;

    // Milvus partition names: a letter or underscore, then letters, digits, underscores
    private static final Pattern PARTITION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final int MAX_PARTS = 1024;
    private static final int DIMENSION_SCAN = 100;

    /** How {@code date} properties are carried. */
    public enum DateMapping {
        /** INT64 milliseconds since 1970-01-01 UTC. */
        EPOCH_MILLIS,
        /** VARCHAR: the RFC 3339 text Weaviate serves. */
        TEXT
    }

    private final Builder settings;
    private final WeaviateClient client;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();

    private WeaviateSource(Builder b) {
        this.settings = b;
        this.client = new WeaviateClient(b.url, b.apiKey, b.timeout);
    }

    /** A builder with the defaults named on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How a class's objects become rows, computed once per class.
     *
     * @param tenants tenant → object count; the single key "" for a class without tenants
     */
    record Plan(String className, CollectionSchema schema, List<WeaviateMapping.Vector> vectors,
                List<WeaviateMapping.Property> properties, Map<String, Long> tenants) {
    }

    @Override
    public String describe() {
        return "weaviate:" + settings.url;
    }

    @Override
    public List<SourceCollection> collections() {
        List<String> names = settings.collections;
        if (names.isEmpty()) {
            names = client.classes().stream().map(c -> c.path("class").asText()).sorted().toList();
        }
        var out = new ArrayList<SourceCollection>();
        for (String name : names) {
            Plan p = plan(name);
            out.add(new SourceCollection(p.schema, p.tenants.values().stream().mapToLong(Long::longValue).sum()));
        }
        return out;
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        Plan p = plan(collection.schema().name());
        var out = new ArrayList<Split>();
        p.tenants.forEach((tenant, count) -> {
            if (count == 0) {
                return;
            }
            int parts = (int) Math.min(MAX_PARTS, (count + settings.partRows - 1) / settings.partRows);
            for (int i = 0; i < parts; i++) {
                long lo = WeaviateSplit.END * i / parts;
                long hi = WeaviateSplit.END * (i + 1) / parts;
                long rows = count * (i + 1) / parts - count * i / parts;
                String id = p.className + (tenant.isEmpty() ? "" : "/" + tenant) + "/" + String.format("%08x", lo);
                out.add(new WeaviateSplit(id, p.className, tenant, lo, hi, rows));
            }
        });
        return out;
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        if (!(split instanceof WeaviateSplit s)) {
            throw new IllegalArgumentException("not a Weaviate split: " + split);
        }
        Plan p = plan(s.className());
        if (!p.tenants.containsKey(s.tenant())) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, describe() + ": class " + s.className()
                    + " has no tenant '" + s.tenant() + "' of split " + s.id() + " now");
        }
        if (!from.splitId().equals(s.id())) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": position " + from
                    + " belongs to another split than " + s.id());
        }
        if (from.isStart()) {
            return new WeaviateSplitReader(client, s, p, settings.pageSize, s.start(), 0);
        }
        String cursor = from.cursor().toLowerCase(Locale.ROOT);
        boolean inside;
        try {
            inside = s.contains(cursor);
        } catch (IllegalArgumentException e) {
            inside = false;
        }
        if (!inside) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": position " + from
                    + " does not name a uuid inside split " + s.id());
        }
        return new WeaviateSplitReader(client, s, p, settings.pageSize, cursor, from.rowsRead());
    }

    @Override
    public Optional<IndexSpec> suggestedIndex(SourceCollection collection) {
        return suggestedIndexes(collection).stream().findFirst();
    }

    @Override
    public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        return plan(collection.schema().name()).vectors.stream().map(WeaviateMapping.Vector::index).toList();
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
        return plans.computeIfAbsent(name, this::read);
    }

    private Plan read(String name) {
        String where = describe() + ", class " + name;
        JsonNode cls = client.schemaOf(name);
        String className = cls.path("class").asText(name);
        boolean multiTenant = cls.path("multiTenancyConfig").path("enabled").asBoolean(false);
        var tenants = new LinkedHashMap<String, Long>();
        if (multiTenant) {
            var known = new LinkedHashMap<String, String>();
            for (JsonNode t : client.tenants(className)) {
                known.put(t.path("name").asText(), t.path("activityStatus").asText("HOT"));
            }
            List<String> chosen = settings.tenants.isEmpty() ? known.keySet().stream().sorted().toList()
                    : settings.tenants;
            for (String t : chosen) {
                String status = known.get(t);
                if (status == null) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, where + " has no tenant '" + t + "'");
                }
                if (!status.equals("HOT") && !status.equals("ACTIVE")) {
                    throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": tenant " + t + " is "
                            + status + "; activate it (HOT/ACTIVE) to read it");
                }
                if (!PARTITION.matcher(t).matches()) {
                    throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": tenant " + t
                            + " cannot be a Milvus partition name (a letter or _, then letters, digits, _)");
                }
                tenants.put(t, client.count(className, t));
            }
        } else {
            if (!settings.tenants.isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, where + " is not multi-tenant; tenants "
                        + settings.tenants + " were asked for");
            }
            tenants.put("", client.count(className, null));
        }
        var vectors = WeaviateMapping.vectors(cls, settings.vectors, where);
        Map<String, Integer> dims = dimensions(className, vectors, tenants, where);
        Set<String> taken = new HashSet<>();
        taken.add(ID);
        vectors.forEach(v -> taken.add(v.field()));
        var props = WeaviateMapping.properties(cls, new WeaviateMapping.Options(settings.dates, settings.textMaxLength,
                settings.arrayCapacity, settings.nullableFields), taken, where);
        var schema = WeaviateMapping.schema(className, vectors, dims, props,
                multiTenant ? List.copyOf(tenants.keySet()) : List.of());
        return new Plan(className, schema, vectors, props, tenants);
    }

    /** Weaviate's schema holds no dimensions: they come from the first objects that have each vector. */
    private Map<String, Integer> dimensions(String className, List<WeaviateMapping.Vector> vectors,
                                            Map<String, Long> tenants, String where) {
        var dims = new HashMap<String, Integer>();
        for (String tenant : tenants.keySet()) {
            if (dims.size() == vectors.size()) {
                break;
            }
            for (JsonNode o : client.objectsAfter(className, tenant.isEmpty() ? null : tenant, "", DIMENSION_SCAN)) {
                for (WeaviateMapping.Vector v : vectors) {
                    JsonNode vec = v.name() == null ? o.get("vector") : o.path("vectors").get(v.name());
                    if (vec != null && vec.isArray() && !vec.isEmpty() && !dims.containsKey(v.field())) {
                        dims.put(v.field(), vec.size());
                    }
                }
            }
        }
        for (WeaviateMapping.Vector v : vectors) {
            if (!dims.containsKey(v.field())) {
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": none of the first "
                        + DIMENSION_SCAN + " objects" + (tenants.size() > 1 ? " of each tenant" : "") + " has vector "
                        + v.field() + ", so its dimension is unknown (an empty class has nothing to migrate: leave it"
                        + " out of collections(...), or leave the vector out with vectors(...))");
            }
        }
        return dims;
    }

    /** Settings of a {@link WeaviateSource}; {@link #build()} freezes them. */
    public static final class Builder {
        private URI url = URI.create("http://localhost:8080");
        private String apiKey;
        private List<String> collections = List.of();
        private List<String> vectors = List.of();
        private List<String> tenants = List.of();
        private int pageSize = 500;
        private long partRows = 100_000;
        private DateMapping dates = DateMapping.EPOCH_MILLIS;
        private int textMaxLength = FieldSchema.MAX_VARCHAR_LENGTH;
        private int arrayCapacity = 4096;
        private boolean nullableFields = true;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The server's REST address, such as {@code http://127.0.0.1:8080}. Default {@code http://localhost:8080}. */
        public Builder url(URI url) {
            this.url = requireNonNull(url, "url is null");
            return this;
        }

        /** An API key, sent as {@code Authorization: Bearer}. Never logged. Default none (anonymous access). */
        public Builder apiKey(String apiKey) {
            this.apiKey = requireNonNull(apiKey, "apiKey is null");
            return this;
        }

        /** The classes (collections) to read, by name. Default empty: every class of the schema. */
        public Builder collections(List<String> names) {
            this.collections = List.copyOf(requireNonNull(names, "collections is null"));
            return this;
        }

        /**
         * The vectors to carry, by name ({@code vector} for the legacy one), for a target that takes fewer vector
         * fields than the class has (Milvus before 2.4 takes one); names a class lacks are left for the other
         * classes, but each class must have one of them. Default empty: every vector.
         */
        public Builder vectors(List<String> names) {
            this.vectors = List.copyOf(requireNonNull(names, "vectors is null"));
            return this;
        }

        /** The tenants to read of multi-tenant classes. Default empty: every tenant. */
        public Builder tenants(List<String> names) {
            this.tenants = List.copyOf(requireNonNull(names, "tenants is null"));
            return this;
        }

        /** Objects per REST request (at most a batch's rows). Default 500. */
        public Builder pageSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new IllegalArgumentException("pageSize must be in 1..10000: " + size);
            }
            this.pageSize = size;
            return this;
        }

        /** Objects per split, going by each tenant's count (at most 1024 splits per tenant). Default 100 000. */
        public Builder partRows(long rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("partRows must be positive: " + rows);
            }
            this.partRows = rows;
            return this;
        }

        /** How date properties are carried. Default {@link DateMapping#EPOCH_MILLIS}. */
        public Builder dates(DateMapping mapping) {
            this.dates = requireNonNull(mapping, "dates is null");
            return this;
        }

        /** The max length in bytes of text (and blob) fields and of their array elements. Default 65 535. */
        public Builder textMaxLength(int bytes) {
            if (bytes < 1 || bytes > FieldSchema.MAX_VARCHAR_LENGTH) {
                throw new IllegalArgumentException("textMaxLength must be in 1.." + FieldSchema.MAX_VARCHAR_LENGTH
                        + ": " + bytes);
            }
            this.textMaxLength = bytes;
            return this;
        }

        /** The max capacity of array fields. Default 4096, Milvus's largest. */
        public Builder arrayCapacity(int capacity) {
            if (capacity < 1 || capacity > 4096) {
                throw new IllegalArgumentException("arrayCapacity must be in 1..4096: " + capacity);
            }
            this.arrayCapacity = capacity;
            return this;
        }

        /**
         * Whether property fields are nullable, since an object may lack any property. Turn it off for a target
         * without nullable fields (Milvus before 2.5): an object lacking a value then fails, naming it. Default true.
         */
        public Builder nullableFields(boolean on) {
            this.nullableFields = on;
            return this;
        }

        /** The timeout of each HTTP request. Default 60 s. */
        public Builder requestTimeout(Duration timeout) {
            this.timeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** The source; does no I/O (the server is asked when collections are listed). */
        public WeaviateSource build() {
            var frozen = new Builder();
            frozen.url = url;
            frozen.apiKey = apiKey;
            frozen.collections = collections;
            frozen.vectors = vectors;
            frozen.tenants = tenants;
            frozen.pageSize = pageSize;
            frozen.partRows = partRows;
            frozen.dates = dates;
            frozen.textMaxLength = textMaxLength;
            frozen.arrayCapacity = arrayCapacity;
            frozen.nullableFields = nullableFields;
            frozen.timeout = timeout;
            return new WeaviateSource(frozen);
        }

        @Override
        public String toString() {
            return "WeaviateSource.Builder[" + url + (apiKey == null ? "" : ", apiKey ***") + "]";
        }
    }
}
