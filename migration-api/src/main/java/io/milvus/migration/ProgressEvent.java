package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One step of progress of a job, with the figures a progress bar or a status page shows. Built by
 * {@link #builder()}, so that figures can be added without breaking listeners. Counts are of the collection named,
 * or of the whole job for {@link Stage#DONE}; -1 means unknown.
 */
public final class ProgressEvent {

    /** The stages of a migration, in the order they happen. */
    public enum Stage {
        /** Collections and splits are being planned; a resumed job's state is being read. */
        PLAN,
        /** Rows are read from the source (and inserted, when the target takes inserts). */
        READ,
        /** A file group was written to staging storage. */
        STAGE,
        /** File groups are being imported by the target. */
        IMPORT,
        /** The target's row count is being checked. */
        COMPLETE,
        /** The index is being built. */
        INDEX,
        /** The collection is being loaded. */
        LOAD,
        /** The job finished; {@code rowsDone} is the number of rows loaded (or dumped). */
        DONE,
        /** The job failed; {@link #error()} says why. */
        FAILED,
        /** The job was cancelled. */
        CANCELLED
    }

    private final String jobId;
    private final Instant time;
    private final Stage stage;
    private final String collection;
    private final long rowsDone;
    private final long rowsTotal;
    private final long rowsRead;
    private final long rowsImported;
    private final long bytesRead;
    private final int splitsDone;
    private final int splitsTotal;
    private final int groupsStaged;
    private final int groupsImported;
    private final String message;
    private final String error;

    private ProgressEvent(Builder b) {
        this.jobId = b.jobId;
        this.time = b.time == null ? Instant.now() : b.time;
        this.stage = requireNonNull(b.stage, "stage is null");
        this.collection = b.collection;
        this.rowsDone = b.rowsDone;
        this.rowsTotal = b.rowsTotal;
        this.rowsRead = b.rowsRead;
        this.rowsImported = b.rowsImported;
        this.bytesRead = b.bytesRead;
        this.splitsDone = b.splitsDone;
        this.splitsTotal = b.splitsTotal;
        this.groupsStaged = b.groupsStaged;
        this.groupsImported = b.groupsImported;
        this.message = b.message;
        this.error = b.error;
    }

    /** An event of one stage, the other figures unknown or zero until set. */
    public static Builder builder(Stage stage) {
        return new Builder(stage);
    }

    /** The job's id. */
    public String jobId() {
        return jobId;
    }

    /** When it happened. */
    public Instant time() {
        return time;
    }

    /** The stage this event belongs to. */
    public Stage stage() {
        return stage;
    }

    /** The target collection name, or "" before it is known or for the whole job. */
    public String collection() {
        return collection;
    }

    /** Rows finished in this stage so far (read while reading, imported while importing). */
    public long rowsDone() {
        return rowsDone;
    }

    /** Rows expected in this stage, -1 if unknown. */
    public long rowsTotal() {
        return rowsTotal;
    }

    /** Rows read from the source so far (in every attempt of the job). */
    public long rowsRead() {
        return rowsRead;
    }

    /** Rows committed in the target so far. */
    public long rowsImported() {
        return rowsImported;
    }

    /** Bytes of rows read so far in this attempt (batch sizes). */
    public long bytesRead() {
        return bytesRead;
    }

    /** Splits read completely. */
    public int splitsDone() {
        return splitsDone;
    }

    /** Splits of the collection, -1 if unknown. */
    public int splitsTotal() {
        return splitsTotal;
    }

    /** File groups written to staging so far. */
    public int groupsStaged() {
        return groupsStaged;
    }

    /** File groups imported and committed so far. */
    public int groupsImported() {
        return groupsImported;
    }

    /** A short human-readable note, may be "". */
    public String message() {
        return message;
    }

    /** For {@link Stage#FAILED}: the error message; "" otherwise. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return "ProgressEvent[" + stage + " " + collection + " rows " + rowsDone + "/" + rowsTotal + ", splits "
                + splitsDone + "/" + splitsTotal + ", groups " + groupsStaged + " staged " + groupsImported
                + " imported" + (message.isEmpty() ? "" : ", " + message) + (error.isEmpty() ? "" : ", " + error)
                + "]";
    }

    /** Collects an event's figures. */
    public static final class Builder {
        private String jobId = "";
        private Instant time;
        private final Stage stage;
        private String collection = "";
        private long rowsDone;
        private long rowsTotal = -1;
        private long rowsRead;
        private long rowsImported;
        private long bytesRead;
        private int splitsDone;
        private int splitsTotal = -1;
        private int groupsStaged;
        private int groupsImported;
        private String message = "";
        private String error = "";

        private Builder(Stage stage) {
            this.stage = requireNonNull(stage, "stage is null");
        }

        public Builder jobId(String v) {
            this.jobId = requireNonNull(v, "jobId is null");
            return this;
        }

        public Builder time(Instant v) {
            this.time = requireNonNull(v, "time is null");
            return this;
        }

        public Builder collection(String v) {
            this.collection = requireNonNull(v, "collection is null");
            return this;
        }

        /** Rows done and expected in this stage. */
        public Builder rows(long done, long total) {
            this.rowsDone = done;
            this.rowsTotal = total;
            return this;
        }

        public Builder rowsRead(long v) {
            this.rowsRead = v;
            return this;
        }

        public Builder rowsImported(long v) {
            this.rowsImported = v;
            return this;
        }

        public Builder bytesRead(long v) {
            this.bytesRead = v;
            return this;
        }

        public Builder splits(int done, int total) {
            this.splitsDone = done;
            this.splitsTotal = total;
            return this;
        }

        public Builder groups(int staged, int imported) {
            this.groupsStaged = staged;
            this.groupsImported = imported;
            return this;
        }

        public Builder message(String v) {
            this.message = requireNonNull(v, "message is null");
            return this;
        }

        public Builder error(String v) {
            this.error = requireNonNull(v, "error is null");
            return this;
        }

        public ProgressEvent build() {
            return new ProgressEvent(this);
        }
    }
}
