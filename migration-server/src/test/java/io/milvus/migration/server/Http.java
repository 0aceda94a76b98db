package io.milvus.migration.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A real HTTP client for the server's API, with the bearer token. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    Http(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A reply: status, content type, body and the body as JSON (null if it is none). */
    record Reply(int status, String type, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply send(String method, String path, String body) {
        return send(request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpRequest.Builder request(String path) {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls a job until {@code until} holds for it, for at most {@code timeout}. */
    JsonNode await(String id, Predicate<JsonNode> until, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < end) {
            Reply r = get("/api/v2/jobs/" + id);
            if (r.status() == 200) {
                job = r.json();
                if (until.test(job)) {
                    return job;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not get there within " + timeout + "; last: " + job);
    }

    JsonNode awaitFinal(String id, Duration timeout) throws InterruptedException {
        return await(id, j -> !j.get("state").asText().equals("QUEUED") && !j.get("state").asText()
                .equals("RUNNING"), timeout);
    }
}
