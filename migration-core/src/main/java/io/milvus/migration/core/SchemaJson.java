package io.milvus.migration.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.ConsistencyLevel;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collection schemas as JSON (in a dump's manifest): every property by name, defaults left out, so that a manifest
 * stays readable and a later version can add properties.
 */
final class SchemaJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaJson() {
    }

    /** A Jackson module that writes and reads {@link CollectionSchema}. */
    static SimpleModule module() {
        return new SimpleModule("schemas")
                .addSerializer(CollectionSchema.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(CollectionSchema s, JsonGenerator g, SerializerProvider p)
                            throws IOException {
                        g.writeTree(toJson(s));
                    }
                })
                .addDeserializer(CollectionSchema.class, new JsonDeserializer<>() {
                    @Override
                    public CollectionSchema deserialize(JsonParser parser, DeserializationContext c)
                            throws IOException {
                        return fromJson(parser.readValueAsTree());
                    }
                });
    }

    static ObjectNode toJson(CollectionSchema s) {
        ObjectNode n = NODES.objectNode().put("name", s.name());
        if (!s.description().isEmpty()) {
            n.put("description", s.description());
        }
        var fields = n.putArray("fields");
        s.fields().forEach(f -> fields.add(toJson(f)));
        if (s.dynamicField()) {
            n.put("dynamicField", true);
        }
        if (!s.partitions().isEmpty()) {
            var parts = n.putArray("partitions");
            s.partitions().forEach(parts::add);
        }
        if (!s.properties().isEmpty()) {
            var props = n.putObject("properties");
            s.properties().forEach(props::put);
        }
        s.consistencyLevel().ifPresent(l -> n.put("consistencyLevel", l.name()));
        if (s.shards() > 0) {
            n.put("shards", s.shards());
        }
        if (s.partitionKeyPartitions() > 0) {
            n.put("partitionKeyPartitions", s.partitionKeyPartitions());
        }
        return n;
    }

    private static ObjectNode toJson(FieldSchema f) {
        ObjectNode n = NODES.objectNode().put("name", f.name()).put("type", f.type().name());
        if (!f.description().isEmpty()) {
            n.put("description", f.description());
        }
        flag(n, "primaryKey", f.primaryKey());
        flag(n, "autoId", f.autoId());
        flag(n, "partitionKey", f.partitionKey());
        flag(n, "clusteringKey", f.clusteringKey());
        flag(n, "nullable", f.nullable());
        f.defaultValue().ifPresent(v -> n.set("defaultValue", v instanceof Boolean x ? NODES.booleanNode(x)
                : v instanceof Integer x ? NODES.numberNode(x)
                : v instanceof Long x ? NODES.numberNode(x)
                : v instanceof Float x ? NODES.numberNode(x)
                : v instanceof Double x ? NODES.numberNode(x)
                : NODES.textNode(v.toString())));
        if (f.dimension() > 0) {
            n.put("dimension", f.dimension());
        }
        if (f.maxLength() > 0) {
            n.put("maxLength", f.maxLength());
        }
        if (f.elementType() != null) {
            n.put("elementType", f.elementType().name()).put("maxCapacity", f.maxCapacity());
        }
        if (f.metric() != null) {
            n.put("metric", f.metric().name());
        }
        return n;
    }

    private static void flag(ObjectNode n, String name, boolean value) {
        if (value) {
            n.put(name, true);
        }
    }

    /** @throws IllegalArgumentException naming what is missing or wrong */
    static CollectionSchema fromJson(JsonNode n) {
        var b = CollectionSchema.builder(text(n, "name")).description(n.path("description").asText(""))
                .dynamicField(n.path("dynamicField").asBoolean(false)).shards(n.path("shards").asInt(0))
                .partitionKeyPartitions(n.path("partitionKeyPartitions").asInt(0));
        List<FieldSchema> fields = new ArrayList<>();
        n.path("fields").forEach(f -> fields.add(field(f)));
        b.fields(fields);
        List<String> partitions = new ArrayList<>();
        n.path("partitions").forEach(p -> partitions.add(p.asText()));
        b.partitions(partitions);
        n.path("properties").fields().forEachRemaining(e -> b.property(e.getKey(), e.getValue().asText()));
        if (n.hasNonNull("consistencyLevel")) {
            b.consistencyLevel(ConsistencyLevel.valueOf(n.get("consistencyLevel").asText()));
        }
        return b.build();
    }

    private static FieldSchema field(JsonNode n) {
        DataType type = DataType.valueOf(text(n, "type"));
        var b = FieldSchema.builder(text(n, "name"), type).description(n.path("description").asText(""))
                .primaryKey(n.path("primaryKey").asBoolean(false)).autoId(n.path("autoId").asBoolean(false))
                .partitionKey(n.path("partitionKey").asBoolean(false))
                .clusteringKey(n.path("clusteringKey").asBoolean(false))
                .nullable(n.path("nullable").asBoolean(false))
                .dimension(n.path("dimension").asInt(0)).maxLength(n.path("maxLength").asInt(0))
                .maxCapacity(n.path("maxCapacity").asInt(0));
        if (n.hasNonNull("elementType")) {
            b.elementType(DataType.valueOf(n.get("elementType").asText()));
        }
        if (n.hasNonNull("metric")) {
            b.metric(MetricType.valueOf(n.get("metric").asText()));
        }
        JsonNode d = n.get("defaultValue");
        if (d != null && !d.isNull()) {
            b.defaultValue(switch (type) {
                case BOOL -> d.asBoolean();
                case INT8, INT16, INT32 -> d.asInt();
                case INT64 -> d.asLong();
                case FLOAT -> (float) d.asDouble();
                case DOUBLE -> d.asDouble();
                default -> d.asText();
            });
        }
        return b.build();
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("schema " + n + " has no text " + key);
        }
        return v.asText();
    }
}
