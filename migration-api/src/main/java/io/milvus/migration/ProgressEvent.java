package io.milvus.migration;

import static java.util.Objects.requireNonNull;

/**
 * One step of progress. {@code rowsDone} and {@code rowsTotal} count rows of the whole migration in the given stage;
 * {@code rowsTotal} is -1 when unknown.
 *
 * @param stage      the stage this event belongs to
 * @param collection the target collection name, or "" before it is known
 * @param rowsDone   rows finished in this stage so far
 * @param rowsTotal  rows expected in this stage, -1 if unknown
 * @param message    a short human-readable note, may be ""
 */
public record ProgressEvent(Stage stage, String collection, long rowsDone, long rowsTotal, String message) {

    /** The stages of a migration, in the order they happen. */
    public enum Stage {
        /** Rows are read from the source and written as bulk files or inserted. */
        READ,
        /** Bulk files are being imported by the target. */
        IMPORT,
        /** The target is being checked (row count), indexed and loaded. */
        COMPLETE,
        /** The migration finished; {@code rowsDone} is the number of rows loaded (or dumped). */
        DONE
    }

    public ProgressEvent {
        requireNonNull(stage, "stage is null");
        requireNonNull(collection, "collection is null");
        requireNonNull(message, "message is null");
    }
}
