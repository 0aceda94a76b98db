package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressEvent;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Source.SourceCollection;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.TargetCollection;
import io.milvus.migration.spi.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the splits of one collection on {@code parallelism} worker threads and hands each transformed batch to the
 * worker's own sink. Memory is bounded by workers × one batch (plus each sink's buffers): there is no queue between
 * reading and writing.
 */
final class SplitReading {
    private final Migration migration;
    private final Source source;
    private final SourceCollection collection;
    private final CollectionSchema schema;
    private final int maxRows;
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    SplitReading(Migration migration, Source source, SourceCollection collection, CollectionSchema schema) {
        this.migration = migration;
        this.source = source;
        this.collection = collection;
        this.schema = schema;
        long rowBytes = Math.max(1, collection.schema().bytesPerRow());
        this.maxRows = (int) Math.max(1, Math.min(1 << 20, migration.batchBytes() / rowBytes));
    }

    /**
     * Writes all splits as bulk-file groups under {@code prefix}, each worker and partition in a directory of its
     * own; returns the groups.
     */
    List<BulkFileGroup> toFiles(Storage staging, String prefix) {
        var workerIds = new AtomicInteger();
        List<List<BulkFileGroup>> perWorker = readAll(() -> {
            String workerPrefix = prefix + "/w" + workerIds.getAndIncrement();
            var writers = new java.util.LinkedHashMap<String, BulkFileWriter>();
            return new Sink() {
                @Override
                public void accept(String partition, Batch batch) {
                    writers.computeIfAbsent(partition, p -> new BulkFileWriter(staging, p.isEmpty() ? workerPrefix
                            : workerPrefix + "/" + directoryName(p), p, schema, migration.bulkFormat(),
                            migration.maxFileBytes())).write(batch);
                }

                @Override
                public List<BulkFileGroup> finish() {
                    return writers.values().stream().flatMap(w -> w.finish().stream()).toList();
                }

                @Override
                public boolean takesStoredVectors() {
                    return migration.bulkFormat() == io.milvus.migration.BulkFormat.NUMPY;
                }

                @Override
                public void close() {
                    writers.values().forEach(BulkFileWriter::close);
                }
            };
        });
        return perWorker.stream().flatMap(List::stream).toList();
    }

    /** Inserts all splits into the target collection; returns the rows inserted. */
    long toTarget(TargetCollection target) {
        readAll(() -> new Sink() {
            @Override
            public void accept(String partition, Batch batch) {
                target.insert(partition, batch);
            }

            @Override
            public List<BulkFileGroup> finish() {
                return List.of();
            }

            @Override
            public void close() {
            }
        });
        return rowsRead.get();
    }

    private List<List<BulkFileGroup>> readAll(java.util.function.Supplier<Sink> sinks) {
        List<Split> splits = source.splits(collection);
        if (splits.isEmpty()) {
            return List.of();
        }
        var queue = new ConcurrentLinkedQueue<>(splits);
        int workers = Math.min(migration.parallelism(), splits.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "migration-" + schema.name() + "-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            var futures = new ArrayList<Future<List<BulkFileGroup>>>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> work(queue, sinks.get())));
            }
            var results = new ArrayList<List<BulkFileGroup>>();
            for (Future<List<BulkFileGroup>> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, asMigrationException(e.getCause()));
                }
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted while reading " + source.describe(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private List<BulkFileGroup> work(ConcurrentLinkedQueue<Split> queue, Sink sink) {
        try (sink) {
            Split split;
            while (failure.get() == null && (split = queue.poll()) != null) {
                read(split, sink);
            }
            return failure.get() == null ? sink.finish() : List.of();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, asMigrationException(e));
            throw e;
        }
    }

    private void read(Split split, Sink sink) {
        long splitRows = 0;
        try (SplitReader reader = source.open(split)) {
            if (sink.takesStoredVectors() && migration.transforms().stream().allMatch(Transform::passesColumnsThrough)) {
                reader.allowStoredVectors(); // vector bytes go from the source file to the .npy file as they are
            }
            Optional<Batch> next;
            while (failure.get() == null && (next = reader.next(maxRows)).isPresent()) {
                Batch batch = next.get();
                for (Transform t : migration.transforms()) {
                    batch = t.apply(batch);
                }
                check(batch);
                sink.accept(split.partition(), batch);
                splitRows += batch.rowCount();
                long done = rowsRead.addAndGet(batch.rowCount());
                DefaultMigrationEngine.emit(migration, new ProgressEvent(ProgressEvent.Stage.READ, schema.name(),
                        done, collection.estimatedRows(), ""));
            }
        } catch (MigrationException e) {
            throw e.in("split " + split.id() + " of " + source.describe() + " after row " + splitRows);
        } catch (RuntimeException e) {
            throw new MigrationException(ErrorCode.INTERNAL, "split " + split.id() + " of " + source.describe()
                    + " after row " + splitRows + ": " + e, e);
        }
    }

    /** Checks that a batch matches the target schema, so a plug-in's mistake is caught here, not in Milvus. */
    private void check(Batch batch) {
        List<FieldSchema> fields = schema.fields();
        if (!batch.columns().keySet().equals(new java.util.LinkedHashSet<>(fields.stream()
                .map(FieldSchema::name).toList()))) {
            throw new MigrationException(ErrorCode.INTERNAL, "batch fields " + batch.columns().keySet()
                    + " do not match the schema's " + fields.stream().map(FieldSchema::name).toList());
        }
        for (FieldSchema f : fields) {
            Column c = batch.column(f.name());
            boolean ok = switch (f.type()) {
                case INT64 -> c instanceof Column.Longs;
                case VARCHAR -> c instanceof Column.Strings;
                case FLOAT_VECTOR -> c instanceof Column.FloatVectors v && v.dimension() == f.dimension()
                        || stored(c, f);
                case BINARY_VECTOR -> c instanceof Column.BinaryVectors v && v.dimension() == f.dimension()
                        || stored(c, f);
            };
            if (!ok) {
                throw new MigrationException(ErrorCode.INTERNAL, "column " + f.name() + " (" + c.getClass()
                        .getSimpleName() + ") does not match its schema " + f);
            }
        }
    }

    private static boolean stored(Column c, FieldSchema f) {
        return c instanceof Column.StoredVectors v && v.type() == f.type() && v.dimension() == f.dimension();
    }

    private static RuntimeException asMigrationException(Throwable t) {
        if (t instanceof MigrationException me) {
            return me;
        }
        return new MigrationException(ErrorCode.INTERNAL, String.valueOf(t), t);
    }

    /** A directory name for a partition: its name made path-safe, plus a hash so that names stay distinct. */
    private static String directoryName(String partition) {
        return "partition-" + partition.replaceAll("[^A-Za-z0-9_-]", "_") + "-"
                + Integer.toHexString(partition.hashCode());
    }

    /** Where one worker puts its batches. */
    private interface Sink extends AutoCloseable {
        void accept(String partition, Batch batch);

        List<BulkFileGroup> finish();

        /** Whether batches may carry {@link Column.StoredVectors}. */
        default boolean takesStoredVectors() {
            return false;
        }

        @Override
        void close();
    }
}
