package io.milvus.migration;

import java.util.concurrent.CompletableFuture;

/**
 * A migration started by {@link Migration#start()}: its id, its state, a way to stop it and its result. Thread-safe.
 */
public interface MigrationHandle {
    /** The job id: the one given to the builder, or one made up for this run. */
    String id();

    /** The state now. */
    JobState state();

    /**
     * Asks the job to stop: reading stops, workers are waited for, imports already submitted stay with the target
     * (a resumed job waits for them). Returns at once; {@link #result()} completes exceptionally with
     * {@code INTERRUPTED} once everything has stopped. Nothing if the job has finished.
     */
    void cancel();

    /**
     * Completes with the report when the job succeeds, or exceptionally with a {@link MigrationException} when it
     * fails or is cancelled.
     */
    CompletableFuture<MigrationReport> result();
}
