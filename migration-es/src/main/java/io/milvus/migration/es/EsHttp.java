package io.milvus.migration.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** JSON over the low-level REST client. Thread-safe (the client is). Errors name the method, path and status only. */
final class EsHttp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final String where;

    EsHttp(EsConnection connection) {
        this.client = connection.open();
        this.where = String.join(",", connection.urls());
    }

    /** A request the server refused; {@code type} is its JSON error type ("" if none). */
    static final class Refused extends MigrationException {
        final int status;
        final String type;
        final String rootType;

        Refused(String message, int status, String type, String rootType) {
            super(ErrorCode.SOURCE_IO, message);
            this.status = status;
            this.type = type;
            this.rootType = rootType;
        }

        /** Whether the server says the point in time or scroll context is gone (expired, closed, node restarted). */
        boolean contextGone() {
            return status == 404 && (type.equals("search_context_missing_exception")
                    || rootType.equals("search_context_missing_exception"));
        }
    }

    JsonNode get(String path) {
        return send("GET", path, Map.of(), null);
    }

    JsonNode post(String path, Map<String, String> params, Object body) {
        return send("POST", path, params, body);
    }

    JsonNode delete(String path, Object body) {
        return send("DELETE", path, Map.of(), body);
    }

    JsonNode send(String method, String path, Map<String, String> params, Object body) {
        Request r = new Request(method, path);
        params.forEach(r::addParameter);
        try {
            if (body != null) {
                r.setEntity(new NStringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
            }
            Response response = client.performRequest(r);
            if (response.getEntity() == null) {
                return JSON.createObjectNode();
            }
            try (InputStream in = response.getEntity().getContent()) {
                return JSON.readTree(in);
            }
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            String type = "";
            String rootType = "";
            String reason = "";
            try {
                if (e.getResponse().getEntity() != null) {
                    JsonNode err = JSON.readTree(e.getResponse().getEntity().getContent()).path("error");
                    JsonNode cause = err.path("root_cause").path(0);
                    type = err.path("type").asText("");
                    rootType = cause.path("type").asText("");
                    reason = cause.isMissingNode() ? err.path("reason").asText("") : cause.path("type").asText("")
                            + ": " + cause.path("reason").asText("");
                    if (err.isTextual()) {
                        reason = err.asText();
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // the status alone is reported
            }
            throw new Refused(method + " " + path + " on " + where + " answered " + status
                    + (reason.isEmpty() ? "" : " (" + reason + ")"), status, type, rootType);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, method + " " + path + " on " + where + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** The server's distribution and version, from {@code GET /_nodes/_local} (the test builds answer GET / with 405). */
    EsServer server() {
        JsonNode nodes = get("/_nodes/_local").path("nodes");
        if (!nodes.fields().hasNext()) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "GET /_nodes/_local on " + where + " lists no node");
        }
        JsonNode node = nodes.fields().next().getValue();
        boolean openSearch = false;
        for (JsonNode role : node.path("roles")) {
            // OpenSearch 2 names the master role cluster_manager
            openSearch |= role.asText().equals("cluster_manager");
        }
        return EsServer.parse(openSearch ? EsServer.Flavour.OPENSEARCH : EsServer.Flavour.ELASTICSEARCH,
                node.path("version").asText(""));
    }

    static List<String> strings(JsonNode array) {
        var out = new java.util.ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
