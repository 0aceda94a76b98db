package io.milvus.migration;

/**
 * Receives progress of a running migration. Called from the migration's worker threads, possibly concurrently, so an
 * implementation must be thread-safe and quick. An exception thrown by a listener is logged and ignored.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every event. */
    ProgressListener NONE = event -> { };

    /** Called for each progress event; never with null. */
    void onProgress(ProgressEvent event);
}
