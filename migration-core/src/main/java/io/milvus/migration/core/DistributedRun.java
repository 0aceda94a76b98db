package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.core.JobRecords.Group;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.Transform;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code run} whose splits are read by an external scheduler (a Spark cluster) instead of this JVM's worker
 * threads. Everything else is the engine's own: the driver plans and keeps the job in the checkpoint store, imports
 * each reported file group with the {@link Loader} while other splits are still read, checks the counts and resumes
 * a stopped job; the scheduler only runs {@link #writeSplit} somewhere and reports what it returned.
 *
 * <p>A split is the unit of work and of commitment: a task writes all of one split's files under a prefix of its
 * own attempt, and only the output the scheduler reports (that of the attempt that succeeded, once) is recorded and
 * imported. Files of failed or duplicate attempts are never imported and go with the job's staging prefix.
 */
public final class DistributedRun {
    private DistributedRun() {
    }

    /** Runs the reading of a collection's pending splits. */
    public interface Scheduler {
        /**
         * Runs {@link #writeSplit} for every task, each once successfully, and passes each successful output to
         * {@link Reports#report} as soon as it is known (from the calling thread); returns when all are reported.
         * Calls {@link Reports#check} now and then and stops the tasks when it throws.
         */
        void run(List<SplitTask> tasks, Reports reports);
    }

    /** Where a scheduler reports finished splits. */
    public interface Reports {
        /** Records the split's groups and queues them for import; a second report of a split is ignored. */
        void report(SplitOutput output);

        /** Throws the job's failure (an import failed, the job was cancelled), if any. */
        void check();
    }

    /**
     * One split to read, with where to continue it: plain serializable data (no client, no secret), shipped to
     * wherever the split is read.
     */
    public static final class SplitTask implements Serializable {
        private static final long serialVersionUID = 1L;
        final String jobId;
        final int collectionIndex;
        final String collection;
        final Split split;
        final Position from;
        final long skip;
        final String prefix;

        SplitTask(String jobId, int collectionIndex, String collection, Split split, Position from, long skip,
                  String prefix) {
            this.jobId = jobId;
            this.collectionIndex = collectionIndex;
            this.collection = collection;
            this.split = split;
            this.from = from;
            this.skip = skip;
            this.prefix = prefix;
        }

        /** The target collection. */
        public String collection() {
            return collection;
        }

        /** The split. */
        public Split split() {
            return split;
        }

        @Override
        public String toString() {
            return "SplitTask[" + jobId + ", " + collection + ", split " + split.id() + "]";
        }
    }

    /** What a task staged for one split: its file groups and the split's end position. Serializable. */
    public static final class SplitOutput implements Serializable {
        private static final long serialVersionUID = 1L;
        final String collection;
        final String split;
        final long rowsRead;
        final String cursor;
        /** Each group as its checkpoint record (JSON): what the driver records as it is. */
        final List<String> groups;
        final long rows;

        SplitOutput(String collection, String split, long rowsRead, String cursor, List<String> groups, long rows) {
            this.collection = collection;
            this.split = split;
            this.rowsRead = rowsRead;
            this.cursor = cursor;
            this.groups = List.copyOf(groups);
            this.rows = rows;
        }

        /** The split. */
        public String split() {
            return split;
        }

        /** Rows staged. */
        public long rows() {
            return rows;
        }

        /** Number of file groups staged. */
        public int groups() {
            return groups.size();
        }

        @Override
        public String toString() {
            return "SplitOutput[" + collection + ", split " + split + ", " + rows + " rows in " + groups.size()
                    + " groups]";
        }
    }

    /**
     * Runs the migration ({@code run} with bulk import) with the splits read by {@code scheduler}. A job id and a
     * checkpoint store make it resumable as a local run is: run it again with the same id.
     *
     * @throws MigrationException {@code INVALID_CONFIG} if the target does not bulk import or there is no staging
     */
    public static MigrationReport run(Migration m, Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler is null");
        if (m.source().isEmpty() || m.target().isEmpty() || m.staging().isEmpty()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "a distributed run needs a source, a target and"
                    + " staging storage that every worker reaches");
        }
        if (!m.target().get().bulkImport()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "a distributed run imports staged files, but"
                    + " target " + m.target().get().describe() + " is set to insert rows; enable bulk import");
        }
        String jobId = m.jobId().orElseGet(() -> "run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(0x10000 | ThreadLocalRandom.current().nextInt(0x10000)).substring(1));
        boolean[] owned = new boolean[1];
        CheckpointStore store = DefaultMigrationEngine.storeFor(m, owned);
        try {
            return new JobRun(m, Migration.Verb.RUN, new JobControl(m, jobId), JobLedger.read(store, jobId),
                    !(store instanceof MemoryCheckpointStore), scheduler).execute();
        } finally {
            if (owned[0]) {
                store.close();
            }
        }
    }

    /**
     * Reads one split and writes its bulk files under the task's prefix plus {@code attempt} (unique per attempt
     * of the task), with {@code reading}: a migration built where the task runs, with the same source, staging,
     * transforms and writer settings as the driver's (its target, job and checkpoint store are not used).
     *
     * @return the staged groups, to be reported to the driver
     */
    public static SplitOutput writeSplit(Migration reading, SplitTask task, String attempt) {
        if (!attempt.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("attempt must be a path-safe name: " + attempt);
        }
        Source source = reading.source().orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                "the migration built for reading split " + task.split.id() + " has no source"));
        Storage staging = reading.staging().orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                "the migration built for reading split " + task.split.id() + " has no staging storage"));
        List<Source.SourceCollection> collections = source.collections();
        if (task.collectionIndex >= collections.size()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, source.describe() + " holds "
                    + collections.size() + " collections here, but the driver planned collection "
                    + task.collection + " as number " + (task.collectionIndex + 1));
        }
        Source.SourceCollection sc = collections.get(task.collectionIndex);
        CollectionSchema schema = sc.schema();
        for (Transform t : reading.transforms()) {
            schema = t.apply(schema);
        }
        if (!schema.name().equals(task.collection)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + (task.collectionIndex + 1)
                    + " of " + source.describe() + " is " + schema.name() + " here, but " + task.collection
                    + " on the driver: the workers' migration differs from the driver's");
        }
        String prefix = task.prefix + "/" + attempt;
        staging.deletePrefix(prefix + "/"); // what a previous run of this very attempt left
        var control = new JobControl(reading, task.jobId);
        var groups = new ArrayList<Group>();
        Position[] end = new Position[1];
        final CollectionSchema target = schema;
        new SplitReading(reading, source, sc, target, control).read(List.of(task.split),
                task.from.isStart() && task.skip == 0 ? Map.of()
                        : Map.of(task.split.id(), new SplitReading.Resume(task.from, task.skip)),
                () -> new EndCapturingSink(new StagingSink(reading, staging, prefix, target,
                        new StagingBudget(Long.MAX_VALUE), control, null, groups::add, () -> false), end));
        if (end[0] == null) {
            throw new MigrationException(ErrorCode.INTERNAL, "split " + task.split.id() + " was not read to its end");
        }
        var records = new ArrayList<String>();
        long rows = 0;
        for (Group g : groups) {
            records.add(JobRecords.entry(JobRecords.GROUP, g.id, g).value());
            rows += g.rows;
        }
        return new SplitOutput(task.collection, task.split.id(), end[0].rowsRead(), end[0].cursor(), records, rows);
    }

    /**
     * Writes rows pushed by the caller (a Spark DataFrame writer's task) as the bulk files of one split, under the
     * task's prefix plus {@code attempt}; {@link #finish} gives the output to report. Not thread-safe.
     */
    public static final class StagedWriter implements AutoCloseable {
        private final SplitTask task;
        private final CollectionSchema schema;
        private final Storage staging;
        private final String prefix;
        private final StagingSink sink;
        private final List<Group> groups = new ArrayList<>();
        private long rows;
        private boolean closed;

        private StagedWriter(Migration writing, CollectionSchema schema, SplitTask task, String attempt) {
            if (!attempt.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("attempt must be a path-safe name: " + attempt);
            }
            if (!schema.name().equals(task.collection)) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "rows for collection " + schema.name()
                        + " given to a task of collection " + task.collection);
            }
            this.task = task;
            this.schema = schema;
            this.staging = writing.staging().orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                    "the migration built for writing split " + task.split.id() + " has no staging storage"));
            this.prefix = task.prefix + "/" + attempt;
            staging.deletePrefix(prefix + "/");
            var control = new JobControl(writing, task.jobId);
            this.sink = new StagingSink(writing, staging, prefix, schema, new StagingBudget(Long.MAX_VALUE), control,
                    null, groups::add, () -> false);
        }

        /** Opens a writer of {@code task}'s split with the rows of {@code schema} (the driver's target schema). */
        public static StagedWriter open(Migration writing, CollectionSchema schema, SplitTask task, String attempt) {
            return new StagedWriter(writing, schema, task, attempt);
        }

        /** Stages a batch of columns in the schema's field order; checked against the schema first. */
        public void write(java.util.Map<String, io.milvus.migration.spi.Column> columns) {
            var batch = new io.milvus.migration.spi.Batch(new Position(task.split.id(), rows, ""), columns);
            var expected = schema.fields().stream().map(io.milvus.migration.spi.FieldSchema::name).toList();
            if (!new ArrayList<>(columns.keySet()).equals(expected)) {
                throw new MigrationException(ErrorCode.INTERNAL, "columns " + columns.keySet() + " do not match the"
                        + " schema's " + expected);
            }
            for (var f : schema.fields()) {
                var c = columns.get(f.name());
                if (!ColumnCheck.fits(c, f)) {
                    throw new MigrationException(ErrorCode.INTERNAL, "column " + f.name() + " (" + c.getClass()
                            .getSimpleName() + ") does not match its schema " + f);
                }
                String bad = ColumnCheck.badValue(c, f);
                if (bad != null) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "field " + f.name() + " of rows after row "
                            + rows + " of " + task.split.id() + ": " + bad);
                }
            }
            Position before = new Position(task.split.id(), rows, "");
            rows += batch.rowCount();
            sink.accept(task.split, before, new io.milvus.migration.spi.Batch(new Position(task.split.id(), rows, ""),
                    columns), 0);
        }

        /** Publishes the last files; the output to report to the driver. */
        public SplitOutput finish() {
            Position end = new Position(task.split.id(), rows, "");
            sink.splitDone(task.split, end);
            sink.finish();
            close();
            var records = new ArrayList<String>();
            long staged = 0;
            for (Group g : groups) {
                records.add(JobRecords.entry(JobRecords.GROUP, g.id, g).value());
                staged += g.rows;
            }
            return new SplitOutput(task.collection, task.split.id(), rows, "", records, staged);
        }

        /** Deletes what this attempt staged. */
        public void abort() {
            close();
            staging.deletePrefix(prefix + "/");
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                sink.close();
            }
        }
    }

    static List<Group> groups(CheckpointStore store, SplitOutput out) {
        var list = new ArrayList<Group>();
        for (String json : out.groups) {
            list.add(JobRecords.parse(store, new CheckpointStore.Entry(JobRecords.GROUP, out.split, json),
                    Group.class));
        }
        return list;
    }

    /** Passes everything on, keeping the split's end position. */
    private static final class EndCapturingSink implements SplitReading.Sink {
        private final SplitReading.Sink inner;
        private final Position[] end;

        EndCapturingSink(SplitReading.Sink inner, Position[] end) {
            this.inner = inner;
            this.end = end;
        }

        @Override
        public void accept(Split split, Position before, io.milvus.migration.spi.Batch batch, int offset) {
            inner.accept(split, before, batch, offset);
        }

        @Override
        public void splitDone(Split split, Position at) {
            inner.splitDone(split, at);
            end[0] = at;
        }

        @Override
        public void finish() {
            inner.finish();
        }

        @Override
        public boolean takesStoredVectors() {
            return inner.takesStoredVectors();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
