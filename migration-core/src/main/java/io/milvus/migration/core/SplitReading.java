package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.spi.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Reads splits of one collection on {@code parallelism} worker threads, each split from its recorded position, and
 * hands each transformed batch to the worker's own sink. Memory is bounded by workers x one batch (plus each sink's
 * buffers): there is no queue between reading and writing. Workers stop at the first failure or when the job is
 * cancelled, and are waited for before {@link #read} returns or throws.
 */
final class SplitReading {
    private final Migration migration;
    private final Source source;
    private final CollectionSchema schema;
    private final JobControl control;
    private final int maxRows;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /** Where one worker puts its batches. */
    interface Sink extends AutoCloseable {
        /**
         * A batch of {@code split}, read after {@code before}; {@code offset} rows of the batch as the source gave
         * it were left out (staged before an interruption), {@code batch} is the rest.
         */
        void accept(Split split, Position before, Batch batch, int offset);

        /** The split has no more rows; {@code end} is its final position. */
        void splitDone(Split split, Position end);

        /** All splits of this worker are read. */
        void finish();

        /** Whether batches may carry {@link Column.StoredVectors} (bytes copied from the source as they are). */
        default boolean takesStoredVectors() {
            return false;
        }

        /** Releases what the sink holds; after a failure too. */
        @Override
        void close();
    }

    SplitReading(Migration migration, Source source, Source.SourceCollection collection, CollectionSchema schema,
                 JobControl control) {
        this.migration = migration;
        this.source = source;
        this.schema = schema;
        this.control = control;
        long rowBytes = Math.max(1, collection.schema().bytesPerRow());
        long rows = Math.min(1 << 20, migration.batchBytes() / rowBytes);
        this.maxRows = (int) Math.max(1, rows);
    }

    /** Where to continue a split: after {@code position}, leaving out the first {@code skip} rows read. */
    record Resume(Position position, long skip) {
    }

    /** Reads {@code splits}, each from its entry in {@code from} (the start if absent). */
    void read(List<Split> splits, Map<String, Resume> from, Supplier<Sink> sinks) {
        if (splits.isEmpty()) {
            return;
        }
        var queue = new ConcurrentLinkedQueue<>(splits);
        int workers = Math.min(migration.parallelism(), splits.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "migration-" + schema.name() + "-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            var futures = new ArrayList<Future<?>>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> work(queue, from, sinks)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, asMigrationException(e.getCause()));
                }
            }
            if (failure.get() != null) {
                throw failure.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted while reading " + source.describe(), e);
        } finally {
            pool.shutdownNow();
            awaitWorkers(pool);
        }
    }

    private void awaitWorkers(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                DefaultMigrationEngine.LOG.warn("workers reading {} did not stop within 60 s", source.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work(ConcurrentLinkedQueue<Split> queue, Map<String, Resume> from, Supplier<Sink> sinks) {
        try (Sink sink = sinks.get()) {
            Split split;
            while (failure.get() == null && (split = queue.poll()) != null) {
                Resume r = from.get(split.id());
                read(split, r == null ? Position.start(split.id()) : r.position(), r == null ? 0 : r.skip(), sink);
            }
            if (failure.get() == null) {
                sink.finish();
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, asMigrationException(e));
            throw e;
        }
    }

    private void read(Split split, Position start, long skip, Sink sink) {
        Position at = start;
        try (SplitReader reader = source.open(split, start)) {
            if (sink.takesStoredVectors() && migration.transforms().stream()
                    .allMatch(Transform::passesColumnsThrough)) {
                reader.allowStoredVectors(); // vector bytes go from the source file to the .npy file as they are
            }
            Optional<Batch> next;
            while (true) {
                control.checkRunning();
                if (failure.get() != null || (next = reader.next(maxRows)).isEmpty()) {
                    break;
                }
                Batch batch = next.get();
                control.skipped(batch.skipped());
                if (batch.rowCount() == 0) {
                    at = batch.position(); // only rows left out
                    continue;
                }
                for (Transform t : migration.transforms()) {
                    batch = t.apply(batch);
                }
                batch = check(batch);
                int offset = 0;
                if (skip > 0) {
                    // the rows of this batch already staged before an interruption
                    offset = (int) Math.min(skip, batch.rowCount());
                    skip -= offset;
                }
                if (offset < batch.rowCount()) {
                    Batch rest = offset == 0 ? batch : batch.slice(offset, batch.rowCount());
                    sink.accept(split, at, rest, offset);
                    control.read(rest.rowCount(), rest.sizeInBytes());
                }
                at = batch.position();
            }
            if (skip > 0) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "split " + split.id() + " ended " + skip
                        + " rows before the rows staged earlier: the source changed since");
            }
            if (failure.get() == null) {
                sink.splitDone(split, at);
                control.splitDone();
            }
        } catch (MigrationException e) {
            throw e.code() == ErrorCode.INTERRUPTED ? e
                    : e.in("split " + split.id() + " of " + source.describe() + " after row " + at.rowsRead());
        } catch (RuntimeException e) {
            throw new MigrationException(ErrorCode.INTERNAL, "split " + split.id() + " of " + source.describe()
                    + " after row " + at.rowsRead() + ": " + e, e);
        }
    }

    /**
     * Checks that a batch matches the target schema, so that a plug-in's mistake is caught here (INTERNAL) and a
     * value the target cannot hold is reported naming its field and row (SOURCE_FORMAT), not by Milvus later.
     *
     * @return the batch, with an empty dynamic field when the schema has one and the batch does not
     */
    private Batch check(Batch batch) {
        var expected = new java.util.LinkedHashSet<>(schema.fields().stream().map(FieldSchema::name).toList());
        var got = new java.util.LinkedHashSet<>(batch.columns().keySet());
        if (schema.dynamicField()) {
            got.remove(io.milvus.migration.spi.CollectionSchema.DYNAMIC_FIELD);
        }
        FieldSchema key = schema.primaryKey();
        if (key.autoId() && !got.contains(key.name())) {
            expected.remove(key.name()); // the target makes autoID keys, so a source may leave them out
        }
        if (!got.equals(expected)) {
            throw new MigrationException(ErrorCode.INTERNAL, "batch fields " + batch.columns().keySet()
                    + " do not match the schema's " + expected);
        }
        for (FieldSchema f : schema.fields()) {
            Column c = batch.columns().get(f.name());
            if (c == null) {
                continue; // an autoID key left out
            }
            if (!ColumnCheck.fits(c, f)) {
                throw new MigrationException(ErrorCode.INTERNAL, "column " + f.name() + " (" + c.getClass()
                        .getSimpleName() + ") does not match its schema " + f);
            }
            String bad = ColumnCheck.badValue(c, f);
            if (bad != null) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, "field " + f.name() + ": " + bad);
            }
        }
        String dynamic = io.milvus.migration.spi.CollectionSchema.DYNAMIC_FIELD;
        if (!schema.dynamicField() || !batch.columns().containsKey(dynamic)) {
            // a batch without extra fields (a source that has none, or a transform that dropped them) has empty ones
            return schema.dynamicField() ? withEmptyDynamicField(batch) : batch;
        }
        if (!(batch.column(dynamic) instanceof Column.Strings)) {
            throw new MigrationException(ErrorCode.INTERNAL, "the dynamic field's column is not JSON text");
        }
        return batch;
    }

    private static Batch withEmptyDynamicField(Batch batch) {
        String[] empty = new String[batch.rowCount()];
        java.util.Arrays.fill(empty, "{}");
        var columns = new java.util.LinkedHashMap<>(batch.columns());
        columns.put(io.milvus.migration.spi.CollectionSchema.DYNAMIC_FIELD, new Column.Strings(empty));
        return new Batch(batch.position(), columns);
    }

    static RuntimeException asMigrationException(Throwable t) {
        if (t instanceof MigrationException me) {
            return me;
        }
        return new MigrationException(ErrorCode.INTERNAL, String.valueOf(t), t);
    }
}
