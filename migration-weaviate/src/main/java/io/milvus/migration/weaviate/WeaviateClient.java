package io.milvus.migration.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few calls of Weaviate's REST API (v1) the source needs, on the JDK's HttpClient. Thread-safe (the JDK client
 * is). The API key goes into the {@code Authorization} header only; it is never part of a message, a log line or
 * {@link #toString()}.
 */
final class WeaviateClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    WeaviateClient(URI base, String apiKey, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Every class of the schema, as {@code GET /v1/schema} describes them. */
    List<JsonNode> classes() {
        var out = new ArrayList<JsonNode>();
        send("GET", "/v1/schema", null).path("classes").forEach(out::add);
        return out;
    }

    /** One class, as {@code GET /v1/schema/{class}} describes it. */
    JsonNode schemaOf(String className) {
        return send("GET", "/v1/schema/" + enc(className), null);
    }

    /** The tenants of a multi-tenant class: name and activity status. */
    JsonNode tenants(String className) {
        return send("GET", "/v1/schema/" + enc(className) + "/tenants", null);
    }

    /**
     * Objects of a class (and tenant, or null) with a uuid greater than {@code after} ("" for the first), in uuid
     * order, with their vectors.
     */
    JsonNode objectsAfter(String className, String tenant, String after, int limit) {
        return send("GET", "/v1/objects?class=" + enc(className) + "&limit=" + limit + "&after=" + enc(after)
                + "&include=vector" + (tenant == null ? "" : "&tenant=" + enc(tenant)), null).path("objects");
    }

    /** How many objects a class (and tenant, or null) holds, by a GraphQL {@code Aggregate}. */
    long count(String className, String tenant) {
        String args = tenant == null ? "" : "(tenant: " + JSON.getNodeFactory().textNode(tenant) + ")";
        var body = JSON.createObjectNode().put("query",
                "{ Aggregate { " + className + args + " { meta { count } } } }");
        JsonNode r = send("POST", "/v1/graphql", body);
        JsonNode errors = r.get("errors");
        if (errors != null && !errors.isEmpty()) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "Weaviate at " + base + ": counting class " + className
                    + (tenant == null ? "" : ", tenant " + tenant) + " failed: "
                    + errors.get(0).path("message").asText());
        }
        JsonNode c = r.path("data").path("Aggregate").path(className).path(0).path("meta").path("count");
        if (!c.isNumber()) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Weaviate at " + base + ": no count for class "
                    + className + (tenant == null ? "" : ", tenant " + tenant) + " in " + abbreviate(r.toString()));
        }
        return c.asLong();
    }

    // For tests and fixtures: creating and dropping classes, tenants and objects.

    void createClass(JsonNode definition) {
        send("POST", "/v1/schema", definition);
    }

    void deleteClass(String className) {
        send("DELETE", "/v1/schema/" + enc(className), null);
    }

    void addProperty(String className, JsonNode property) {
        send("POST", "/v1/schema/" + enc(className) + "/properties", property);
    }

    void addTenants(String className, JsonNode tenants) {
        send("POST", "/v1/schema/" + enc(className) + "/tenants", tenants);
    }

    /** Adds objects with the batch API; fails naming the first object Weaviate refused. */
    void batch(JsonNode objects) {
        JsonNode r = send("POST", "/v1/batch/objects", JSON.createObjectNode().set("objects", objects));
        for (JsonNode o : r) {
            JsonNode errors = o.path("result").path("errors");
            if (!errors.isMissingNode() && !errors.isNull()) {
                throw new MigrationException(ErrorCode.SOURCE_IO, "Weaviate refused object " + o.path("id").asText()
                        + ": " + errors);
            }
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        var req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (apiKey != null) {
            req.header("Authorization", "Bearer " + apiKey);
        }
        if (body != null) {
            req.header("Content-Type", "application/json");
            req.method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        } else {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "Weaviate at " + base + ": " + method + " " + path
                    + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted: Weaviate " + method + " " + path);
        }
        String text = new String(resp.body(), StandardCharsets.UTF_8);
        if (resp.statusCode() / 100 != 2) {
            int s = resp.statusCode();
            ErrorCode code = s == 400 || s == 401 || s == 403 || s == 404 || s == 422 ? ErrorCode.INVALID_CONFIG
                    : ErrorCode.SOURCE_IO;
            throw new MigrationException(code, "Weaviate at " + base + ": " + method + " " + path + " answered " + s
                    + ": " + abbreviate(text));
        }
        try {
            return text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Weaviate at " + base + ": " + method + " " + path
                    + " answered no JSON: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        // HttpClient.close() exists from Java 21 only; its threads end when it is unreachable.
    }

    @Override
    public String toString() {
        return "WeaviateClient[" + base + (apiKey == null ? "" : ", apiKey ***") + "]";
    }
}
