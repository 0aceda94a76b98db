package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

/**
 * How an import job stands in the target.
 *
 * @param state     its state
 * @param rows      rows imported so far, as the target reports them; -1 if unknown
 * @param reason    the target's reason for a failure, "" otherwise
 * @param retryable for a failure: whether trying the same files again may succeed (a lost connection, an
 *                  unavailable storage), as the target judges it
 */
public record ImportStatus(State state, long rows, String reason, boolean retryable) {
    /** The states of an import job. */
    public enum State {
        /** Accepted, waiting or running. */
        RUNNING,
        /** Finished: its rows are in the collection. */
        COMPLETED,
        /** Failed: none of its rows are in the collection. */
        FAILED
    }

    public ImportStatus {
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
    }
}
