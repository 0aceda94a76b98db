package io.milvus.migration.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a Weaviate class definition ({@code GET /v1/schema/{class}}) becomes a Milvus schema: properties to fields,
 * the legacy vector and named vectors to vector fields with their metric and index. Pure: no I/O (the vectors'
 * dimensions, which Weaviate's schema does not hold, are handed in).
 */
final class WeaviateMapping {
    /** The primary key field: the object's uuid. */
    static final String ID = "id";
    /** The field of a class's legacy (unnamed) vector. */
    static final String VECTOR = "vector";

    private WeaviateMapping() {
    }

    /** What a property's values are read as. */
    enum Kind { TEXT, INT, NUMBER, BOOL, DATE, UUID, BLOB, JSON }

    /** A property and its field. */
    record Property(String name, Kind kind, boolean array, FieldSchema field) {
    }

    /**
     * A vector of the class.
     *
     * @param name  its name in Weaviate's {@code vectors} map; null for the legacy {@code vector}
     * @param field the Milvus field
     */
    record Vector(String name, String field, MetricType metric, String indexType, int m, int efConstruction) {
        IndexSpec index() {
            if (indexType.equals("FLAT")) {
                return IndexSpec.builder("FLAT").field(field).metric(metric).build();
            }
            return IndexSpec.builder("HNSW").field(field).metric(metric).param("M", m)
                    .param("efConstruction", efConstruction).build();
        }
    }

    /** Mapping choices, from the source's builder. */
    record Options(WeaviateSource.DateMapping dates, int textMaxLength, int arrayCapacity, boolean nullableFields) {
    }

    /**
     * The vectors of a class: the legacy one (when the class has a top-level vector index) and the named ones of
     * {@code vectorConfig}, keeping those in {@code selected} (empty: all; {@code vector} names the legacy one; names
     * the class does not have are left for other classes, but at least one must be the class's).
     */
    static List<Vector> vectors(JsonNode cls, List<String> selected, String where) {
        var out = new ArrayList<Vector>();
        JsonNode named = cls.path("vectorConfig");
        boolean legacy = cls.hasNonNull("vectorIndexType") || !named.isObject() || named.isEmpty();
        if (legacy && (selected.isEmpty() || selected.contains(VECTOR))) {
            out.add(vector(null, VECTOR, cls.path("vectorIndexType").asText("hnsw"), cls.path("vectorIndexConfig"),
                    where));
        }
        // named vectors in name order (as Weaviate serves them), so that the schema is the same each time
        var seen = new TreeMap<String, JsonNode>();
        named.fields().forEachRemaining(e -> seen.put(e.getKey(), e.getValue()));
        seen.forEach((name, config) -> {
            if (selected.isEmpty() || selected.contains(name)) {
                if (legacy && name.equals(VECTOR)) {
                    throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has a named vector 'vector'"
                            + " beside its legacy vector; both would be Milvus field 'vector'");
                }
                out.add(vector(name, name, config.path("vectorIndexType").asText("hnsw"),
                        config.path("vectorIndexConfig"), where + ", named vector " + name));
            }
        });
        if (out.isEmpty()) {
            // a name may be of another class read by the same source; a class with none of them is an error
            throw new MigrationException(ErrorCode.INVALID_CONFIG, where + " has none of the vectors " + selected
                    + " (it has " + (legacy ? "'vector'" + (seen.isEmpty() ? "" : ", ") : "")
                    + String.join(", ", seen.keySet()) + ")");
        }
        return out;
    }

    private static Vector vector(String name, String field, String indexType, JsonNode config, String where) {
        if (config.path("multivector").path("enabled").asBoolean(false)) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " is a multi-vector (one vector per "
                    + "token); Milvus 2.x has no such field");
        }
        String distance = config.path("distance").asText("cosine");
        MetricType metric = switch (distance) {
            case "cosine" -> MetricType.COSINE;
            case "dot" -> MetricType.IP;
            case "l2-squared" -> MetricType.L2;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has distance " + distance
                    + "; cosine, dot and l2-squared have Milvus metrics (COSINE, IP, L2) for float vectors");
        };
        JsonNode hnsw = switch (indexType) {
            case "hnsw" -> config;
            case "dynamic" -> config.path("hnsw");   // dynamic starts flat and becomes HNSW when it grows
            case "flat" -> null;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has vector index type "
                    + indexType + "; hnsw, flat and dynamic are known");
        };
        if (hnsw == null) {
            return new Vector(name, field, metric, "FLAT", 0, 0);
        }
        // Milvus takes M in 2..2048 and efConstruction in 1..2^31; Weaviate's defaults are 32 and 128
        int m = Math.max(2, Math.min(2048, hnsw.path("maxConnections").asInt(32)));
        int ef = Math.max(1, hnsw.path("efConstruction").asInt(128));
        return new Vector(name, field, metric, "HNSW", m, ef);
    }

    /** The properties of a class, each with its field. */
    static List<Property> properties(JsonNode cls, Options o, Set<String> taken, String where) {
        var out = new ArrayList<Property>();
        for (JsonNode p : cls.path("properties")) {
            String name = p.path("name").asText();
            String type = p.path("dataType").path(0).asText("");
            if (taken.contains(name)) {
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": property " + name
                        + " has the name of a vector or the key field; both would be Milvus field " + name);
            }
            out.add(property(name, type, p.path("dataType").size(), o, where + ", property " + name));
        }
        return out;
    }

    static Property property(String name, String type, int types, Options o, String where) {
        boolean array = type.endsWith("[]");
        String base = array ? type.substring(0, type.length() - 2) : type;
        // a cross-reference names its target classes, which start with a capital letter
        boolean reference = !base.isEmpty() && Character.isUpperCase(base.charAt(0)) || types > 1;
        Kind kind = reference ? Kind.JSON : switch (base) {
            case "text", "string" -> Kind.TEXT;
            case "int" -> Kind.INT;
            case "number" -> Kind.NUMBER;
            case "boolean" -> Kind.BOOL;
            case "date" -> Kind.DATE;
            case "uuid" -> Kind.UUID;
            case "blob" -> Kind.BLOB;
            case "object", "geoCoordinates", "phoneNumber" -> Kind.JSON;
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has data type " + type
                    + ", which this source does not know");
        };
        if (kind == Kind.JSON && !array && !reference) {
            // objects, geo coordinates and phone numbers go whole into a JSON field
            return new Property(name, Kind.JSON, false, FieldSchema.builder(name, DataType.JSON)
                    .nullable(o.nullableFields()).build());
        }
        if (kind == Kind.JSON) {
            // object arrays and references (lists of beacons) are JSON arrays, which a Milvus JSON field does not
            // hold (2.3 refuses them on insert and import): their JSON text goes into a VARCHAR
            return new Property(name, Kind.JSON, array, FieldSchema.builder(name, DataType.VARCHAR)
                    .maxLength(o.textMaxLength()).nullable(o.nullableFields()).build());
        }
        DataType t = switch (kind) {
            case INT -> DataType.INT64;
            case NUMBER -> DataType.DOUBLE;
            case BOOL -> DataType.BOOL;
            case DATE -> o.dates() == WeaviateSource.DateMapping.EPOCH_MILLIS ? DataType.INT64 : DataType.VARCHAR;
            default -> DataType.VARCHAR;
        };
        int length = kind == Kind.UUID ? 36 : o.textMaxLength();
        FieldSchema.Builder f = array
                ? FieldSchema.builder(name, DataType.ARRAY).elementType(t).maxCapacity(o.arrayCapacity())
                : FieldSchema.builder(name, t);
        if (t == DataType.VARCHAR) {
            f.maxLength(length);
        }
        return new Property(name, kind, array, f.nullable(o.nullableFields()).build());
    }

    /** The Milvus schema: the uuid key, the vectors (dimensions from {@code dims}, by field), then the properties. */
    static CollectionSchema schema(String className, List<Vector> vectors, Map<String, Integer> dims,
                                   List<Property> props, List<String> partitions) {
        var fields = new ArrayList<FieldSchema>();
        fields.add(FieldSchema.builder(ID, DataType.VARCHAR).primaryKey(true).maxLength(36).build());
        for (Vector v : vectors) {
            fields.add(FieldSchema.floatVector(v.field(), dims.get(v.field()), v.metric()));
        }
        props.forEach(p -> fields.add(p.field()));
        return CollectionSchema.builder(className).fields(fields).partitions(partitions).build();
    }
}
