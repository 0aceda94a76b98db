package io.milvus.migration.chroma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The few calls of Chroma's HTTP API v2 the source needs, on the JDK's HttpClient. Thread-safe (the JDK client is).
 * The token goes into a header only; it is never part of a message, a log line or {@link #toString()}.
 */
final class ChromaClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String tokenHeader;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    ChromaClient(URI base, String tokenHeader, String token, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.tokenHeader = tokenHeader;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A collection as Chroma describes it. */
    record CollectionInfo(String id, String name, int dimension, JsonNode metadata, JsonNode configuration) {
    }

    /** Rows of one {@code get}: ids, and embeddings, documents, metadatas where asked for (null entries kept). */
    record Records(List<String> ids, JsonNode embeddings, JsonNode documents, JsonNode metadatas) {
    }

    void heartbeat() {
        send("GET", "/api/v2/heartbeat", null);
    }

    List<CollectionInfo> collections(String tenant, String database) {
        var out = new ArrayList<CollectionInfo>();
        int page = 100;
        for (int offset = 0; ; offset += page) {
            JsonNode list = send("GET", db(tenant, database) + "/collections?limit=" + page + "&offset=" + offset, null);
            list.forEach(c -> out.add(info(c)));
            if (list.size() < page) {
                return out;
            }
        }
    }

    CollectionInfo collection(String tenant, String database, String name) {
        return info(send("GET", db(tenant, database) + "/collections/" + enc(name), null));
    }

    long count(String tenant, String database, String collectionId) {
        return send("GET", db(tenant, database) + "/collections/" + enc(collectionId) + "/count", null).asLong();
    }

    /** Records {@code [offset, offset + limit)} in Chroma's storage order, with the given parts included. */
    Records get(String tenant, String database, String collectionId, long offset, int limit, List<String> include) {
        ObjectNode body = JSON.createObjectNode();
        body.put("offset", offset);
        body.put("limit", limit);
        include.forEach(body.putArray("include")::add);
        JsonNode r = send("POST", db(tenant, database) + "/collections/" + enc(collectionId) + "/get", body);
        var ids = new ArrayList<String>();
        r.path("ids").forEach(id -> ids.add(id.asText()));
        return new Records(ids, r.get("embeddings"), r.get("documents"), r.get("metadatas"));
    }

    // For tests and fixtures: creating tenants, databases, collections and records.

    void createTenant(String tenant) {
        send("POST", "/api/v2/tenants", JSON.createObjectNode().put("name", tenant));
    }

    void createDatabase(String tenant, String database) {
        send("POST", "/api/v2/tenants/" + enc(tenant) + "/databases", JSON.createObjectNode().put("name", database));
    }

    CollectionInfo createCollection(String tenant, String database, ObjectNode body) {
        return info(send("POST", db(tenant, database) + "/collections", body));
    }

    void add(String tenant, String database, String collectionId, ObjectNode body) {
        send("POST", db(tenant, database) + "/collections/" + enc(collectionId) + "/add", body);
    }

    private static CollectionInfo info(JsonNode c) {
        JsonNode dim = c.get("dimension");
        return new CollectionInfo(c.path("id").asText(), c.path("name").asText(),
                dim == null || dim.isNull() ? 0 : dim.asInt(), c.get("metadata"), c.get("configuration_json"));
    }

    private static String db(String tenant, String database) {
        return "/api/v2/tenants/" + enc(tenant) + "/databases/" + enc(database);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        var req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            req.header(tokenHeader, tokenHeader.equalsIgnoreCase("Authorization") ? "Bearer " + token : token);
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
            throw new MigrationException(ErrorCode.SOURCE_IO, "Chroma at " + base + ": " + method + " " + path
                    + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted: Chroma " + method + " " + path);
        }
        String text = new String(resp.body(), StandardCharsets.UTF_8);
        if (resp.statusCode() / 100 != 2) {
            ErrorCode code = resp.statusCode() == 404 || resp.statusCode() == 400 ? ErrorCode.INVALID_CONFIG
                    : resp.statusCode() == 401 || resp.statusCode() == 403 ? ErrorCode.INVALID_CONFIG
                    : ErrorCode.SOURCE_IO;
            throw new MigrationException(code, "Chroma at " + base + ": " + method + " " + path + " answered "
                    + resp.statusCode() + ": " + (text.length() > 500 ? text.substring(0, 500) + "..." : text));
        }
        try {
            return text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Chroma at " + base + ": " + method + " " + path
                    + " answered no JSON: " + e.getMessage(), e);
        }
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
        return "ChromaClient[" + base + (token == null ? "" : ", token ***") + "]";
    }
}
