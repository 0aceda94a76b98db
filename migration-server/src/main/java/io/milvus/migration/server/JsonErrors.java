package io.milvus.migration.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself (a request line or URI it refuses, before the routes see it) as {@code {code, message}}
 * JSON like the API's own, without stack or cause.
 */
final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int status = response.getStatus();
        String code = switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414, 431 -> "BAD_REQUEST";
            default -> status >= 500 ? "INTERNAL" : "BAD_REQUEST";
        };
        var body = new LinkedHashMap<String, Object>();
        body.put("code", code);
        body.put("message", status >= 500 ? "the server failed to answer; see its log"
                : "the request was refused (HTTP " + status + ")");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JobService.JSON.writeValueAsString(body)
                .getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
