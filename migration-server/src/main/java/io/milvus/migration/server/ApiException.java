package io.milvus.migration.server;

/**
 * A request the server refuses: its HTTP status and the {@code {code, message}} of the reply. Messages name the field,
 * key or job at fault and never hold secrets.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    /** The methods a 405 names in its Allow header; null otherwise. */
    String allow;

    ApiException(int status, String code, String message) {
        super(message, null, false, false); // no stack: a refusal is not a failure of the server
        this.status = status;
        this.code = code;
    }

    ApiException allow(String methods) {
        this.allow = methods;
        return this;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, "CONFLICT", message);
    }
}
