package io.milvus.migration.es;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The schema of a collection from its indices' mappings and the user's overrides. */
final class EsMapping {
    /** The document id, the primary key unless a field is named. */
    static final String ID = "_id";
    /** Elasticsearch ids are at most 512 bytes. */
    static final int ID_MAX_LENGTH = 512;

    private EsMapping() {
    }

    static EsLayout layout(String collection, List<String> indices, Map<String, JsonNode> mappings,
                           EsSource.Settings s) {
        var props = new LinkedHashMap<String, JsonNode>();
        var owner = new LinkedHashMap<String, String>();
        var mappingExcludes = new ArrayList<String>();
        var mappingIncludes = new ArrayList<String>();
        for (var e : mappings.entrySet()) {
            JsonNode m = e.getValue();
            m.path("_source").path("excludes").forEach(n -> mappingExcludes.add(n.asText()));
            m.path("_source").path("includes").forEach(n -> mappingIncludes.add(n.asText()));
            m.path("properties").fields().forEachRemaining(p -> {
                JsonNode before = props.putIfAbsent(p.getKey(), p.getValue());
                if (before == null) {
                    owner.put(p.getKey(), e.getKey());
                } else if (!type(before).equals(type(p.getValue()))) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + collection + ": field "
                            + p.getKey() + " is " + type(before) + " in index " + owner.get(p.getKey()) + " but "
                            + type(p.getValue()) + " in index " + e.getKey() + "; give it one type with field(...)");
                }
            });
        }
        var derived = new LinkedHashMap<String, FieldSchema>();
        var indexes = new ArrayList<IndexSpec>();
        props.forEach((name, def) -> {
            FieldSchema f = derive(collection, name, def, s);
            if (f != null) {
                derived.put(name, f);
                index(name, def, f).ifPresent(indexes::add);
            }
        });

        // the primary key
        FieldSchema pk;
        String sortKey = "";
        FieldSchema givenId = s.overrides.get(ID);
        if (givenId == null && s.explicitFields != null) {
            givenId = s.explicitFields.stream().filter(f -> f.name().equals(ID)).findFirst().orElse(null);
        }
        if (s.primaryKey.equals(ID) && givenId != null) {
            // the _id as the user typed it: VarChar of a max length, or Int64 of numeric ids
            if (givenId.type() != DataType.VARCHAR && givenId.type() != DataType.INT64) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + collection + ": _id can be "
                        + "VARCHAR or INT64, not " + givenId.type());
            }
            pk = givenId.toBuilder().primaryKey(true).nullable(false).build();
        } else if (s.primaryKey.equals(ID)) {
            pk = FieldSchema.builder(ID, DataType.VARCHAR).primaryKey(true).maxLength(ID_MAX_LENGTH)
                    .description("the document's _id").build();
        } else {
            FieldSchema named = s.overrides.getOrDefault(s.primaryKey, derived.get(s.primaryKey));
            if (named == null && s.explicitFields != null) {
                named = s.explicitFields.stream().filter(f -> f.name().equals(s.primaryKey)).findFirst().orElse(null);
            }
            if (named == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + collection + ": primary key "
                        + "field " + s.primaryKey + " is not in the mapping of " + String.join(",", indices));
            }
            DataType t = named.type();
            if (t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32) {
                t = DataType.INT64;
            }
            if (t != DataType.VARCHAR && t != DataType.INT64) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + collection + ": primary key "
                        + "field " + s.primaryKey + " is " + named.type() + "; a key is a keyword or long field");
            }
            var b = FieldSchema.builder(named.name(), t).primaryKey(true).description(named.description());
            if (t == DataType.VARCHAR) {
                b.maxLength(named.maxLength());
            }
            pk = b.build();
            // a named key is unique and the same in a reopened point in time: sort on it
            sortKey = s.primaryKey;
        }

        List<FieldSchema> fields = new ArrayList<>();
        fields.add(pk);
        if (s.explicitFields != null) {
            for (FieldSchema f : s.explicitFields) {
                if (!f.name().equals(pk.name())) {
                    fields.add(f.primaryKey() ? f.toBuilder().primaryKey(false).build() : f);
                }
            }
        } else {
            for (FieldSchema f : derived.values()) {
                if (!f.name().equals(pk.name())) {
                    fields.add(s.overrides.getOrDefault(f.name(), f));
                }
            }
        }
        for (FieldSchema o : s.overrides.values()) {
            if (fields.stream().noneMatch(f -> f.name().equals(o.name())) && !o.name().equals(pk.name())) {
                fields.add(o);
            }
        }
        if (s.explicitFields != null) {
            fields.replaceAll(f -> f.primaryKey() ? f : s.overrides.getOrDefault(f.name(), f));
        }

        // a vector of the whole-schema list (the Go tool's fields carry no metric) takes the mapping's similarity;
        // a field(...) override keeps its own
        if (s.explicitFields != null) {
            fields.replaceAll(f -> f.type().isVector() && !s.overrides.containsKey(f.name())
                    && derived.containsKey(f.name()) && derived.get(f.name()).type() == f.type()
                    ? f.toBuilder().metric(derived.get(f.name()).metric()).build() : f);
        }
        if (!s.nullableFields) {
            // for a target without nullable fields (Milvus before 2.5): a document lacking a value fails, naming it
            fields.replaceAll(f -> f.nullable() ? f.toBuilder().nullable(false).build() : f);
        }
        var read = new ArrayList<EsField>();
        for (FieldSchema f : fields) {
            String esType = props.containsKey(f.name()) ? type(props.get(f.name())) : "";
            boolean isId = f.name().equals(ID);
            boolean inSource = inSource(f.name(), mappingIncludes, mappingExcludes)
                    && inSource(f.name(), s.includes, s.excludes);
            boolean date = esType.startsWith("date") && (f.type() == DataType.INT64);
            read.add(new EsField(f, esType, !isId && !inSource, date, isId));
        }
        CollectionSchema schema;
        try {
            schema = CollectionSchema.builder(collection).fields(fields).dynamicField(s.dynamicField)
                    .description("from " + String.join(",", indices)).build();
        } catch (IllegalArgumentException e) {
            String hint = fields.stream().anyMatch(f -> f.type().name().endsWith("VECTOR")) ? ""
                    : " (the mapping of " + String.join(",", indices) + " has no vector field: declare one, such as "
                    + "a float array, with field(FieldSchema.floatVector(name, dim, metric)))";
            throw new MigrationException(ErrorCode.INVALID_CONFIG, e.getMessage() + hint);
        }
        indexes.removeIf(i -> i.field().isPresent() && schema.field(i.field().get()).isEmpty());
        var names = new HashSet<String>(props.keySet());
        fields.forEach(f -> names.add(f.name()));
        return new EsLayout(schema, indices, read, List.copyOf(indexes), sortKey, Set.copyOf(names));
    }

    static String type(JsonNode def) {
        if (def.has("type")) {
            return def.path("type").asText();
        }
        return def.has("properties") ? "object" : "object";
    }

    /** Whether {@code name} is in {@code _source} given include and exclude patterns ({@code *} wildcards). */
    static boolean inSource(String name, List<String> includes, List<String> excludes) {
        if (!includes.isEmpty() && includes.stream().noneMatch(p -> matches(p, name))) {
            return false;
        }
        return excludes.stream().noneMatch(p -> matches(p, name));
    }

    private static boolean matches(String pattern, String name) {
        String regex = java.util.Arrays.stream(pattern.split("\\*", -1)).map(java.util.regex.Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*"));
        return name.matches(regex) || name.startsWith(pattern + ".");
    }

    /** The field a mapping entry becomes, or null for entries that hold no data of their own (field aliases). */
    static FieldSchema derive(String collection, String name, JsonNode def, EsSource.Settings s) {
        String type = type(def);
        FieldSchema.Builder b;
        switch (type) {
            case "keyword", "text", "wildcard", "constant_keyword", "ip", "match_only_text", "version",
                 "search_as_you_type", "binary" ->
                    b = FieldSchema.builder(name, DataType.VARCHAR).maxLength(s.varcharMaxLength);
            case "long", "unsigned_long" -> b = FieldSchema.builder(name, DataType.INT64);
            case "integer", "token_count" -> b = FieldSchema.builder(name, DataType.INT32);
            case "short" -> b = FieldSchema.builder(name, DataType.INT16);
            case "byte" -> b = FieldSchema.builder(name, DataType.INT8);
            case "double", "scaled_float" -> b = FieldSchema.builder(name, DataType.DOUBLE);
            case "float", "half_float", "rank_feature" -> b = FieldSchema.builder(name, DataType.FLOAT);
            case "boolean" -> b = FieldSchema.builder(name, DataType.BOOL);
            case "date", "date_nanos" -> b = s.dates == EsSource.DateMode.EPOCH
                    ? FieldSchema.builder(name, DataType.INT64)
                    : FieldSchema.builder(name, DataType.VARCHAR).maxLength(Math.min(s.varcharMaxLength, 64));
            case "dense_vector" -> {
                int dims = def.path("dims").asInt(0);
                String element = def.path("element_type").asText("float");
                if (dims <= 0) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + collection + ": "
                            + "dense_vector " + name + " has no dims in its mapping; give its schema with field(...)");
                }
                if (element.equals("bit")) {
                    return FieldSchema.builder(name, DataType.BINARY_VECTOR).dimension(dims)
                            .metric(MetricType.HAMMING).build();
                }
                // byte vectors keep their values as floats (Milvus 2.x has no int8 vector type in this API)
                return FieldSchema.builder(name, DataType.FLOAT_VECTOR).dimension(dims)
                        .metric(similarity(def.path("similarity").asText("cosine"), collection, name)).build();
            }
            case "knn_vector" -> {
                int dims = def.path("dimension").asInt(0);
                String space = def.path("space_type").asText(def.path("method").path("space_type").asText("l2"));
                if (def.path("data_type").asText("float").equals("binary")) {
                    return FieldSchema.builder(name, DataType.BINARY_VECTOR).dimension(dims)
                            .metric(MetricType.HAMMING).build();
                }
                return FieldSchema.builder(name, DataType.FLOAT_VECTOR).dimension(dims)
                        .metric(space(space, collection, name)).build();
            }
            case "sparse_vector", "rank_features" ->
                    b = FieldSchema.builder(name, DataType.SPARSE_FLOAT_VECTOR).metric(MetricType.IP);
            case "alias" -> {
                return null;
            }
            // object, nested, flattened, geo_point, geo_shape, point, shape, ranges, join, percolator, ...
            default -> b = FieldSchema.builder(name, DataType.JSON);
        }
        if (b.build().type() != DataType.SPARSE_FLOAT_VECTOR) {
            b.nullable(true);   // a document may lack any field
        }
        return b.description("es " + type).build();
    }

    static MetricType similarity(String similarity, String collection, String field) {
        return switch (similarity) {
            case "l2_norm" -> MetricType.L2;
            case "dot_product", "max_inner_product" -> MetricType.IP;
            case "cosine" -> MetricType.COSINE;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "collection " + collection
                    + ": field " + field + " has similarity " + similarity + ", which has no Milvus metric");
        };
    }

    static MetricType space(String space, String collection, String field) {
        return switch (space) {
            case "l2" -> MetricType.L2;
            case "innerproduct" -> MetricType.IP;
            case "cosinesimil" -> MetricType.COSINE;
            case "hamming", "hammingbit" -> MetricType.HAMMING;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "collection " + collection
                    + ": field " + field + " has space_type " + space + ", which has no Milvus metric");
        };
    }

    /** The HNSW index an indexed float vector field had ({@code m}, {@code ef_construction}). */
    static java.util.Optional<IndexSpec> index(String name, JsonNode def, FieldSchema f) {
        if (f.type() != DataType.FLOAT_VECTOR || def.path("index").asText("true").equals("false")) {
            return java.util.Optional.empty();
        }
        JsonNode params;
        if (type(def).equals("knn_vector")) {
            JsonNode method = def.path("method");
            if (!method.isMissingNode() && !method.path("name").asText("hnsw").equals("hnsw")) {
                return java.util.Optional.empty();
            }
            params = method.path("parameters");
        } else {
            JsonNode options = def.path("index_options");
            if (!options.isMissingNode() && !options.path("type").asText("hnsw").endsWith("hnsw")) {
                return java.util.Optional.empty();
            }
            params = options;
        }
        return java.util.Optional.of(IndexSpec.builder("HNSW").field(name).metric(f.metric())
                .param("M", params.path("m").asLong(16))
                .param("efConstruction", params.path("ef_construction").asLong(100)).build());
    }
}
