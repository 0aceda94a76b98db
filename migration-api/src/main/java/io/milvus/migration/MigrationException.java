package io.milvus.migration;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception this library throws. {@link #code()} says what kind of failure it is; the message
 * names the file, offset, field, setting or collection at fault. Messages never contain secrets.
 */
public class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String reason;

    /**
     * @param code    the failure kind, not null
     * @param message what went wrong and where, not null
     */
    public MigrationException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * @param code    the failure kind, not null
     * @param message what went wrong and where, not null
     * @param cause   the underlying failure, may be null
     */
    public MigrationException(ErrorCode code, String message, Throwable cause) {
        super("[" + requireNonNull(code, "code is null") + "] " + requireNonNull(message, "message is null"), cause);
        this.code = code;
        this.reason = message;
    }

    /** The stable code of this failure; never null. */
    public ErrorCode code() {
        return code;
    }

    /** The message without the code prefix. */
    public String reason() {
        return reason;
    }

    /** This failure with {@code context} (such as the split at fault) put before the reason; same code. */
    public MigrationException in(String context) {
        return new MigrationException(code, context + ": " + reason, this);
    }
}
