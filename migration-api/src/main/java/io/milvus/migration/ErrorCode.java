package io.milvus.migration;

/**
 * Stable error codes carried by every {@link MigrationException}. Codes are never renamed or reused, so callers may
 * branch on them (never on message text).
 */
public enum ErrorCode {
    /** A setting is missing, unknown or has a value out of range; the message names the setting. */
    INVALID_CONFIG,
    /** The source's bytes do not match its format; the message names the file and offset. */
    SOURCE_FORMAT,
    /** The source holds something this library cannot migrate (for example an index type without raw vectors). */
    SOURCE_UNSUPPORTED,
    /** Reading the source failed (file missing, I/O error). */
    SOURCE_IO,
    /** Reading or writing staged bulk files failed. */
    STORAGE_IO,
    /** The target cannot be reached or refused the credentials. */
    TARGET_UNAVAILABLE,
    /** The target collection already exists and the configuration says neither append nor recreate. */
    COLLECTION_EXISTS,
    /** The target rejected a request (schema, insert); the message carries the target's own reason. */
    TARGET_REJECTED,
    /** A bulk import job failed or timed out; the message carries the target's own reason. */
    IMPORT_FAILED,
    /** After loading, the target holds a different number of rows than were read. */
    COUNT_MISMATCH,
    /** The migration was interrupted. */
    INTERRUPTED,
    /** A bug: an invariant of this library did not hold. */
    INTERNAL,
    /** The checkpoint store cannot be read or written (missing, locked, read-only, corrupt); the message names it. */
    CHECKPOINT_IO
}
