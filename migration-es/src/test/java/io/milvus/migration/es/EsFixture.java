package io.milvus.migration.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Indices on a real test server (scripts/es-server.sh), written over plain HTTP so that the code under test is not
 * also the fixture. The server URL comes from {@code ES8_URL}, {@code ES7_URL} or {@code OS2_URL}; a missing one
 * fails the test (never skips it).
 */
public final class EsFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final String url;
    public final String kind;

    private EsFixture(String kind, String url) {
        this.kind = kind;
        this.url = url;
    }

    /** The server of {@code kind} (es8, es7, os2). */
    public static EsFixture of(String kind) {
        String var = kind.toUpperCase(java.util.Locale.ROOT) + "_URL";
        String u = System.getenv(var);
        if (u == null || u.isBlank()) {
            throw new IllegalStateException(var + " is not set: start the server with ES_KIND=" + kind
                    + " scripts/es-server.sh start and export its env (eval \"$(ES_KIND=" + kind
                    + " scripts/es-server.sh env)\")");
        }
        return new EsFixture(kind, u);
    }

    /** A mapping entry of a 2-dimensional vector field "vec" (on 7.17, which has no vector type, a float field). */
    public String vec() {
        return switch (kind) {
            case "es7" -> "\"vec\":{\"type\":\"float\"}";
            case "os2" -> "\"vec\":{\"type\":\"knn_vector\",\"dimension\":2,\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\"}}";
            default -> "\"vec\":{\"type\":\"dense_vector\",\"dims\":2,\"index\":false}";   // no HNSW graph to build
        };
    }

    /** A source builder over this server, with "vec" declared a vector on 7.17. */
    public EsSource.Builder source(String... indices) {
        var b = EsSource.builder().connection(connection()).indices(java.util.List.of(indices));
        if (kind.equals("es7")) {
            b.field(io.milvus.migration.spi.FieldSchema.floatVector("vec", 2, io.milvus.migration.spi.MetricType.L2));
        }
        return b;
    }

    public EsConnection connection() {
        return EsConnection.builder().url(url).build();
    }

    public JsonNode send(String method, String path, String body) {
        try {
            var b = HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type",
                    path.contains("_bulk") ? "application/x-ndjson" : "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300 && !(method.equals("DELETE") && r.statusCode() == 404)) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": "
                        + r.body().substring(0, Math.min(2000, r.body().length())));
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** (Re)creates an index with this mapping ({@code properties} JSON and optional extras) and shard count. */
    public void create(String index, String mappings, int shards) {
        send("DELETE", "/" + index, null);
        send("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":" + shards + ",\"number_of_replicas\":0,"
                + "\"refresh_interval\":\"-1\"" + (kind.equals("os2") ? ",\"index.knn\":true" : "") + "},\"mappings\":" + mappings + "}");
    }

    /** Indexes documents {@code [0, n)} as made by {@code doc} (a JSON object, id under "_id"), then refreshes. */
    public void bulk(String index, int n, IntFunction<Map<String, Object>> doc) {
        var sb = new StringBuilder();
        try {
            for (int i = 0; i < n; i++) {
                Map<String, Object> d = new java.util.LinkedHashMap<>(doc.apply(i));
                Object id = d.remove("_id");
                sb.append("{\"index\":{\"_index\":\"").append(index).append('"');
                if (id != null) {
                    sb.append(",\"_id\":").append(JSON.writeValueAsString(String.valueOf(id)));
                }
                sb.append("}}\n").append(JSON.writeValueAsString(d)).append('\n');
                if (sb.length() > 8 << 20 || i == n - 1) {
                    JsonNode r = send("POST", "/_bulk", sb.toString());
                    if (r.path("errors").asBoolean()) {
                        for (JsonNode item : r.path("items")) {
                            if (item.path("index").has("error")) {
                                throw new IllegalStateException("bulk into " + index + " refused a document: "
                                        + item.path("index").path("error"));
                            }
                        }
                    }
                    sb.setLength(0);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        send("POST", "/" + index + "/_refresh", null);
    }

    public void alias(String alias, List<String> indices) {
        var actions = new StringBuilder("{\"actions\":[");
        for (int i = 0; i < indices.size(); i++) {
            actions.append(i > 0 ? "," : "").append("{\"add\":{\"index\":\"").append(indices.get(i))
                    .append("\",\"alias\":\"").append(alias).append("\"}}");
        }
        send("POST", "/_aliases", actions.append("]}").toString());
    }

    public void delete(String index) {
        send("DELETE", "/" + index, null);
    }
}
