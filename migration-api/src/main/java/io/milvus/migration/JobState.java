package io.milvus.migration;

/** The states of a migration job. */
public enum JobState {
    /** Started, not finished. */
    RUNNING,
    /** Finished: every row is in the target and checked. */
    SUCCEEDED,
    /** Stopped by a failure; a job with checkpoints can be resumed by running it again. */
    FAILED,
    /** Stopped by {@link MigrationHandle#cancel()}; a job with checkpoints can be resumed by running it again. */
    CANCELLED;

    /** Whether the job has stopped. */
    public boolean isFinal() {
        return this != RUNNING;
    }
}
