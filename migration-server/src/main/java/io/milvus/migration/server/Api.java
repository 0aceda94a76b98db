package io.milvus.migration.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.migration.Migration;
import io.milvus.migration.ProgressEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes: {@code /api/v1} as the Go tool answers it, {@code /api/v2} our resource API, the OpenAPI description and
 * the job page. Every refusal is a typed 4xx; nothing unexpected leaves as a stack trace. Called on Jetty's threads.
 */
final class Api extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final String JSON_TYPE = "application/json";

    private final JobService jobs;
    private final byte[] token;
    private final long maxBodyBytes;
    private final String defaultConfig;
    private final byte[] openApi;
    private final byte[] page;

    Api(JobService jobs, String token, long maxBodyBytes, String defaultConfig) {
        this.jobs = jobs;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = maxBodyBytes;
        this.defaultConfig = defaultConfig;
        this.openApi = resource("openapi.json");
        this.page = resource("index.html");
    }

    private static byte[] resource(String name) {
        try (InputStream in = Api.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reply: status, content type and body. */
    private record Reply(int status, String type, byte[] body) {
        static Reply json(int status, Object value) {
            try {
                return new Reply(status, JSON_TYPE, JobService.JSON.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a reply", e);
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        boolean v1 = path.startsWith("/api/v1/");
        String requestId = request.getHeaders().get("RequestId");
        Reply reply;
        try {
            if (path.matches("/api/v2/jobs/[^/]+/events") && method.equals("GET")) {
                authorize(request);
                events(request, response, callback, segment(path, 3));
                return true;
            }
            reply = route(request, path, method);
        } catch (ApiException e) {
            discardBody(request);
            reply = v1 ? Reply.json(e.status, v1Error(e.status, e.getMessage(), requestId))
                    : Reply.json(e.status, error(e.code, e.getMessage()));
            if (e.allow != null) {
                response.getHeaders().put(HttpHeader.ALLOW, e.allow);
            }
            if (e.status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed: {}", method, path, e.getClass().getName(), e);
            reply = Reply.json(500, error("INTERNAL", "the server failed to answer; see its log"));
        }
        response.setStatus(reply.status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(reply.body), callback);
        return true;
    }

    private Reply route(Request request, String path, String method) {
        switch (path) {
            case "/", "/index.html" -> {
                allow(method, "GET");
                return new Reply(200, "text/html; charset=utf-8", page);
            }
            case "/api/v2/openapi.json" -> {
                allow(method, "GET");
                return new Reply(200, JSON_TYPE, openApi);
            }
            case "/api/v1/healthy" -> {
                allow(method, "GET");
                return v1Ok("ok", request);
            }
            default -> {
                // below
            }
        }
        authorize(request);
        if (path.equals("/api/v1/start") || path.equals("/api/v1/dump") || path.equals("/api/v1/load")) {
            allow(method, "POST");
            return v1Submit(request, path.substring("/api/v1/".length()));
        }
        if (path.equals("/api/v1/get_job")) {
            allow(method, "GET");
            return v1GetJob(request);
        }
        if (path.equals("/api/v2/jobs")) {
            allow(method, "GET", "POST");
            return method.equals("GET") ? list(request) : submit(request);
        }
        if (path.matches("/api/v2/jobs/[^/]+")) {
            allow(method, "GET");
            String id = segment(path, 3);
            known(id);
            return Reply.json(200, jobs.view(id, true));
        }
        if (path.matches("/api/v2/jobs/[^/]+/(cancel|resume)")) {
            allow(method, "POST");
            String id = segment(path, 3);
            if (path.endsWith("/cancel")) {
                jobs.cancel(id);
            } else {
                jobs.resume(id);
            }
            return Reply.json(202, jobs.view(id, false));
        }
        if (path.matches("/api/v2/jobs/[^/]+/events")) {
            allow(method, "GET");
        }
        throw ApiException.notFound("no such resource: " + path);
    }

    private static String segment(String path, int index) {
        return path.split("/")[index + 1];
    }

    private void known(String id) {
        if (!jobs.known(id)) {
            throw ApiException.notFound("job " + id + " is unknown");
        }
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new ApiException(405, "METHOD_NOT_ALLOWED", "method " + method + " is not allowed here; use "
                + String.join(" or ", allowed)).allow(String.join(", ", allowed));
    }

    /** A bearer token, compared in constant time; without one, {@link MigrationServer} allows loopback only. */
    private void authorize(Request request) {
        if (token == null) {
            SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
            if (remote instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress()) {
                return;
            }
            throw new ApiException(401, "UNAUTHORIZED", "this server takes requests from loopback only");
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : "";
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "UNAUTHORIZED", header == null ? "missing Authorization: Bearer token"
                    : "wrong bearer token");
        }
    }

    private String body(Request request) {
        long declared = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > maxBodyBytes) {
                drain(in, declared);
                throw new ApiException(413, "PAYLOAD_TOO_LARGE", "the body is " + declared + " bytes; at most "
                        + maxBodyBytes + " are taken");
            }
            var out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > maxBodyBytes) {
                    drain(in, -1);
                    throw new ApiException(413, "PAYLOAD_TOO_LARGE", "the body is over " + maxBodyBytes
                            + " bytes");
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the body: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Reads and drops the rest of a refused body up to 16 times the limit, so that a client still sending it reads
     * the 413 rather than a reset connection; beyond that the connection is closed.
     */
    /**
     * Drops what is left of a refused request's body (a 401, 404 or 405 is answered without reading it), so that the
     * connection stays usable for the client's next request instead of being closed under it.
     */
    private void discardBody(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            drain(in, request.getLength());
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not drop a refused request's body", e);
        }
    }

    private void drain(InputStream in, long declared) throws IOException {
        long bound = 16 * maxBodyBytes;
        if (declared > bound) {
            return;
        }
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total <= bound && (n = in.read(buf)) > 0) {
            total += n;
        }
    }

    private static Map<String, Object> error(String code, String message) {
        var m = new LinkedHashMap<String, Object>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    // ---- /api/v2

    private Reply list(Request request) {
        Fields query = Request.extractQueryParameters(request);
        String state = query.getValue("state");
        JobService.State wanted = null;
        if (state != null && !state.isEmpty()) {
            try {
                wanted = JobService.State.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("state: must be one of " + List.of(JobService.State.values())
                        + ", found '" + state + "'");
            }
        }
        var out = new ArrayList<Map<String, Object>>();
        for (String id : jobs.ids()) {
            if (wanted == null || jobs.state(id) == wanted) {
                out.add(jobs.view(id, false));
            }
        }
        return Reply.json(200, Map.of("jobs", out));
    }

    private Reply submit(Request request) {
        Fields query = Request.extractQueryParameters(request);
        Migration.Verb verb = verb(query.getValue("verb"));
        String jobId = query.getValue("jobId");
        String text = body(request);
        if (text.isBlank()) {
            throw new ApiException(400, "INVALID_CONFIG", "the body is empty: send a migration.yaml, or the same as"
                    + " JSON");
        }
        JobService.LiveJob job = jobs.submit(verb, text, jobId, "job-", "v2", "");
        return Reply.json(201, jobs.view(job.id, false));
    }

    private static Migration.Verb verb(String v) {
        if (v == null || v.isEmpty()) {
            return Migration.Verb.RUN;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "run", "start" -> Migration.Verb.RUN;
            case "dump" -> Migration.Verb.DUMP;
            case "load" -> Migration.Verb.LOAD;
            default -> throw ApiException.badRequest("verb: must be run, dump or load, found '" + v + "'");
        };
    }

    /** Server-sent events: the job now, then each progress event, then its end. */
    private void events(Request request, Response response, Callback callback, String id) {
        known(id);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        BlockingQueue<Object> queue = jobs.listen(id).orElse(null);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            send(out, "job", jobs.view(id, false));
            if (queue != null) {
                Set<String> secrets = jobs.live(id).map(j -> j.secrets).orElse(Set.of());
                while (true) {
                    Object next = queue.poll(15, TimeUnit.SECONDS);
                    if (next == JobService.END) {
                        break;
                    }
                    if (next == null) {
                        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        if (jobs.live(id).isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    send(out, "progress", JobService.event((ProgressEvent) next, secrets));
                }
                send(out, "end", jobs.view(id, false));
            } else {
                send(out, "end", jobs.view(id, false));
            }
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e); // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } finally {
            if (queue != null) {
                jobs.unlisten(id, queue);
            }
        }
    }

    private static void send(OutputStream out, String event, Object data) throws IOException {
        out.write(("event: " + event + "\ndata: " + JobService.JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---- /api/v1, as the Go tool answers: {code, msg, data, requestId}, code 0 on success

    private static Reply v1Ok(Object data, Request request) {
        var m = new LinkedHashMap<String, Object>();
        m.put("code", 0);
        m.put("msg", "success");
        m.put("data", data);
        String rid = request.getHeaders().get("RequestId");
        m.put("requestId", rid == null ? "" : rid);
        return Reply.json(200, m);
    }

    private static Map<String, Object> v1Error(int status, String message, String requestId) {
        var m = new LinkedHashMap<String, Object>();
        m.put("code", status);
        m.put("msg", message);
        m.put("data", null);
        m.put("requestId", requestId == null ? "" : requestId);
        return m;
    }

    private Reply v1Submit(Request request, String command) {
        String text = body(request);
        JsonNode body;
        try {
            body = text.isBlank() ? JobService.JSON.createObjectNode() : JobService.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (!(body instanceof ObjectNode o)) {
            throw ApiException.badRequest("the body must be a JSON object {requestId, async, collectionNames}");
        }
        boolean async = false;
        if (o.has("async") && !o.get("async").isNull()) {
            if (!o.get("async").isBoolean()) {
                throw ApiException.badRequest("async: must be true or false");
            }
            async = o.get("async").asBoolean();
        }
        String requestId = "";
        if (o.has("requestId") && !o.get("requestId").isNull()) {
            if (!o.get("requestId").isTextual()) {
                throw ApiException.badRequest("requestId: must be a string");
            }
            requestId = o.get("requestId").asText();
        }
        if (o.has("collectionNames") && !o.get("collectionNames").isNull() && !o.get("collectionNames").isArray()) {
            throw ApiException.badRequest("collectionNames: must be a list of names");
        }
        String config;
        JsonNode c = o.get("config");
        if (c == null || c.isNull()) {
            if (defaultConfig == null) {
                throw new ApiException(400, "INVALID_CONFIG", "config: the server has no migration config (serve"
                        + " --config server.yaml with migrationConfig) and the body gives none");
            }
            config = defaultConfig;
        } else if (c.isTextual()) {
            config = c.asText();
        } else if (c.isObject()) {
            config = c.toString();
        } else {
            throw ApiException.badRequest("config: must be a migration.yaml as text, or the same as a JSON object");
        }
        Migration.Verb verb = switch (command) {
            case "dump" -> Migration.Verb.DUMP;
            case "load" -> Migration.Verb.LOAD;
            default -> Migration.Verb.RUN;
        };
        JobService.LiveJob job = jobs.submit(verb, config, null, command + "_", "v1", requestId);
        if (!async) {
            try {
                job.done.get(); // as the Go tool: the reply comes when the job has finished
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // recorded with the job
            }
            JobService.State end = jobs.state(job.id);
            if (end != JobService.State.SUCCEEDED) {
                Object error = jobs.view(job.id, false).get("error");
                String msg = error instanceof Map<?, ?> m ? String.valueOf(m.get("message")) : end.name();
                var reply = v1Error(500, msg, requestId);
                reply.put("data", Map.of("jobId", job.id));
                return Reply.json(200, reply); // the request was fine; the job failed, as get_job says too
            }
        }
        return v1Ok(Map.of("jobId", job.id), request);
    }

    private Reply v1GetJob(Request request) {
        String id = Request.extractQueryParameters(request).getValue("jobId");
        if (id == null || id.isEmpty()) {
            throw ApiException.badRequest("jobId: is missing (get_job?jobId=...)");
        }
        known(id);
        Map<String, Object> v = jobs.view(id, false);
        String status = switch (JobService.State.valueOf(String.valueOf(v.get("state")))) {
            case QUEUED -> "init";
            case RUNNING -> "running";
            case SUCCEEDED -> "success";
            default -> "fail";
        };
        var data = new LinkedHashMap<String, Object>();
        data.put("jobId", id);
        data.put("jobStatus", status);
        data.put("jobProcess", v.get("progress"));
        Object error = v.get("error");
        data.put("msg", error instanceof Map<?, ?> m ? String.valueOf(m.get("message")) : "");
        // tasks are splits; a dump or load, which records none, counts as one task
        int total = Math.max(1, (Integer) v.get("splitsTotal"));
        data.put("totalTasks", total);
        data.put("finishTasks", status.equals("success") ? total : (Integer) v.get("splitsDone"));
        return v1Ok(data, request);
    }
}
