package io.milvus.migration.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Classes in the real Weaviate ({@code WEAVIATE_URL}, from {@code scripts/weaviate-server.sh}) with known objects,
 * added through the REST batch API: {@link #every} (every property kind, three named vectors of three metrics and
 * index kinds) and {@link #tenants} (a legacy vector, multi-tenant). Fails without {@code WEAVIATE_URL}: never skips.
 */
final class WeaviateFixture implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    static final List<String> TENANTS = List.of("tenant_a", "tenant_b", "tenant_c");
    static final Map<String, Integer> DIMS = Map.of("title_vec", 8, "body_vec", 4, "img", 6);

    final URI url;
    final WeaviateClient client;
    final String unique;
    private final List<String> created = new ArrayList<>();

    WeaviateFixture() {
        String u = System.getenv("WEAVIATE_URL");
        if (u == null || u.isBlank()) {
            throw new IllegalStateException("WEAVIATE_URL is not set: start Weaviate with scripts/weaviate-server.sh"
                    + " start and export its env (eval \"$(scripts/weaviate-server.sh env)\")");
        }
        url = URI.create(u);
        client = new WeaviateClient(url, null, Duration.ofSeconds(60));
        unique = ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    WeaviateSource.Builder source() {
        return WeaviateSource.builder().url(url);
    }

    /** A class of every property kind and three named vectors; uuid → object (properties and vectors). */
    Every every(int rows) {
        String name = "Weaviate_every_" + unique;
        ObjectNode cls = WeaviateClient.JSON.createObjectNode().put("class", name);
        ObjectNode vc = cls.putObject("vectorConfig");
        namedVector(vc, "title_vec", "hnsw").put("distance", "cosine").put("maxConnections", 16)
                .put("efConstruction", 64);
        namedVector(vc, "body_vec", "flat").put("distance", "dot");
        namedVector(vc, "img", "hnsw").put("distance", "l2-squared");
        ArrayNode props = cls.putArray("properties");
        for (String[] p : new String[][] {{"title", "text"}, {"tags", "text[]"}, {"n", "int"}, {"ns", "int[]"},
                {"score", "number"}, {"scores", "number[]"}, {"ok", "boolean"}, {"oks", "boolean[]"},
                {"day", "date"}, {"days", "date[]"}, {"ref", "uuid"}, {"refs", "uuid[]"}, {"loc", "geoCoordinates"},
                {"phone", "phoneNumber"}, {"data", "blob"}}) {
            props.addObject().put("name", p[0]).putArray("dataType").add(p[1]);
        }
        ObjectNode meta = props.addObject().put("name", "meta");
        meta.putArray("dataType").add("object");
        ArrayNode nested = meta.putArray("nestedProperties");
        nested.addObject().put("name", "color").putArray("dataType").add("text");
        nested.addObject().put("name", "size").putArray("dataType").add("int");
        ObjectNode items = props.addObject().put("name", "items");
        items.putArray("dataType").add("object[]");
        items.putArray("nestedProperties").addObject().put("name", "k").putArray("dataType").add("text");
        client.createClass(cls);
        created.add(name);
        // a cross-reference to the class itself (a class can be referenced once it exists)
        ObjectNode other = WeaviateClient.JSON.createObjectNode().put("name", "other");
        other.putArray("dataType").add(name);
        client.addProperty(name, other);

        var objects = new LinkedHashMap<String, ObjectNode>();
        ArrayNode batch = WeaviateClient.JSON.createArrayNode();
        for (int i = 0; i < rows; i++) {
            String id = UUID.nameUUIDFromBytes(("every-" + unique + "-" + i).getBytes(StandardCharsets.UTF_8))
                    .toString();
            ObjectNode o = batch.addObject().put("class", name).put("id", id);
            ObjectNode p = o.putObject("properties");
            p.put("title", "title " + i + (i % 7 == 0 ? " ünï ✓" : ""));
            p.putArray("tags").add("t" + i % 3).add("tag " + i);
            p.put("n", i * 1_000_003L - 50_000);
            p.putArray("ns").add(i).add(-i).add(i * 10_000_000_000L);
            p.put("score", i / 7.0);
            p.putArray("scores").add(i * 0.5).add(-i / 3.0);
            p.put("ok", i % 2 == 0);
            p.putArray("oks").add(i % 3 == 0).add(true);
            p.put("day", Instant.ofEpochMilli(1_700_000_000_123L + i * 86_400_000L).toString());
            p.putArray("days").add(Instant.ofEpochMilli(1_600_000_000_000L + i * 1000L).toString());
            p.put("ref", new UUID(i, i * 31L).toString());
            p.putArray("refs").add(new UUID(1, i).toString()).add(new UUID(2, i).toString());
            p.putObject("loc").put("latitude", 52.5 + i / 8.0).put("longitude", 4.25 - i / 16.0);
            p.putObject("phone").put("input", "+31 20 555 " + String.format("%04d", i));
            p.put("data", Base64.getEncoder().encodeToString(("blob " + i).getBytes(StandardCharsets.UTF_8)));
            p.putObject("meta").put("color", i % 2 == 0 ? "red" : "blue").put("size", i);
            p.putArray("items").addObject().put("k", "a" + i);
            p.putArray("other").addObject().put("beacon", "weaviate://localhost/" + name + "/" + UUID.nameUUIDFromBytes(
                    ("every-" + unique + "-" + (i + 1) % rows).getBytes(StandardCharsets.UTF_8)));
            ObjectNode vs = o.putObject("vectors");
            int row = i;
            DIMS.forEach((v, dim) -> {
                ArrayNode a = vs.putArray(v);
                for (int j = 0; j < dim; j++) {
                    a.add((float) Math.sin(row * 31 + j * 7 + v.length()) * (j + 1) / 3f);
                }
            });
            objects.put(id, o);
        }
        // references are checked: first every object without its reference, then each again (replaced) with it
        ArrayNode first = batch.deepCopy();
        first.forEach(o -> ((ObjectNode) o.path("properties")).remove("other"));
        add(first);
        add(batch);
        return new Every(name, objects);
    }

    /** A multi-tenant class with a legacy l2-squared vector (dim 5); tenant → uuid → object. */
    Tenants tenants(int rowsPerTenant) {
        String name = "Weaviate_mt_" + unique;
        ObjectNode cls = WeaviateClient.JSON.createObjectNode().put("class", name).put("vectorizer", "none")
                .put("vectorIndexType", "hnsw");
        cls.putObject("vectorIndexConfig").put("distance", "l2-squared");
        cls.putObject("multiTenancyConfig").put("enabled", true);
        ArrayNode props = cls.putArray("properties");
        props.addObject().put("name", "title").putArray("dataType").add("text");
        props.addObject().put("name", "n").putArray("dataType").add("int");
        client.createClass(cls);
        created.add(name);
        ArrayNode ts = WeaviateClient.JSON.createArrayNode();
        TENANTS.forEach(t -> ts.addObject().put("name", t));
        client.addTenants(name, ts);
        var out = new LinkedHashMap<String, Map<String, ObjectNode>>();
        ArrayNode batch = WeaviateClient.JSON.createArrayNode();
        for (int t = 0; t < TENANTS.size(); t++) {
            var objects = new LinkedHashMap<String, ObjectNode>();
            for (int i = 0; i < rowsPerTenant + t * 10; i++) {
                String id = UUID.nameUUIDFromBytes(("mt-" + unique + "-" + t + "-" + i)
                        .getBytes(StandardCharsets.UTF_8)).toString();
                ObjectNode o = batch.addObject().put("class", name).put("id", id).put("tenant", TENANTS.get(t));
                o.putObject("properties").put("title", TENANTS.get(t) + " " + i).put("n", t * 1000 + i);
                ArrayNode v = o.putArray("vector");
                for (int j = 0; j < 5; j++) {
                    v.add((float) (t + i * 0.25 - j));
                }
                objects.put(id, o);
            }
            out.put(TENANTS.get(t), objects);
        }
        add(batch);
        return new Tenants(name, out);
    }

    /** A class made from a definition with one object (vector dim 3), for the error cases. */
    String plain(String suffix, ObjectNode definition, String tenant) {
        String name = "Weaviate_" + suffix + "_" + unique;
        definition.put("class", name);
        client.createClass(definition);
        created.add(name);
        if (tenant != null) {
            ArrayNode ts = WeaviateClient.JSON.createArrayNode();
            ts.addObject().put("name", tenant);
            client.addTenants(name, ts);
        }
        ArrayNode batch = WeaviateClient.JSON.createArrayNode();
        ObjectNode o = batch.addObject().put("class", name).put("id", UUID.randomUUID().toString());
        if (tenant != null) {
            o.put("tenant", tenant);
        }
        o.putArray("vector").add(1f).add(2f).add(3f);
        add(batch);
        return name;
    }

    private static ObjectNode namedVector(ObjectNode vectorConfig, String name, String indexType) {
        ObjectNode v = vectorConfig.putObject(name);
        v.putObject("vectorizer").putObject("none");
        v.put("vectorIndexType", indexType);
        return v.putObject("vectorIndexConfig");
    }

    private void add(ArrayNode objects) {
        for (int from = 0; from < objects.size(); from += 100) {
            ArrayNode part = WeaviateClient.JSON.createArrayNode();
            for (int i = from; i < Math.min(objects.size(), from + 100); i++) {
                part.add(objects.get(i));
            }
            client.batch(part);
        }
    }

    @Override
    public void close() {
        created.forEach(client::deleteClass);
    }

    record Every(String name, Map<String, ObjectNode> objects) {
        float[] vector(String id, String name) {
            JsonNode a = objects.get(id).path("vectors").path(name);
            float[] v = new float[a.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = a.get(j).floatValue();
            }
            return v;
        }

        JsonNode property(String id, String property) {
            return objects.get(id).path("properties").path(property);
        }
    }

    record Tenants(String name, Map<String, Map<String, ObjectNode>> objects) {
        int total() {
            return objects.values().stream().mapToInt(Map::size).sum();
        }
    }
}
