package io.milvus.migration.spark;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.core.DistributedRun;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;

/**
 * The driver's side of {@code df.write.format("milvus")}: a migration run whose source is the DataFrame (split
 * {@code p<N>} is partition N) and whose splits Spark's write tasks stage; each task's files are imported as soon
 * as Spark reports the task committed, the counts are checked and the index built when the write commits.
 *
 * <p>Options: {@code uri} (the Milvus target, {@code milvus://host:port/database}; its token from
 * {@code ?token=} or the driver's {@code MILVUS_TOKEN}), {@code collection}, {@code staging} (a URI every executor
 * and Milvus reach, such as Milvus's own bucket {@code s3://bucket?endpoint=...}; credentials from each JVM's
 * environment), {@code stagingPrefix}, {@code dimension} or {@code dimension.<column>}, {@code metric},
 * {@code primaryKey} (default {@code id}), {@code maxLength}, {@code format} (numpy or json), {@code maxFileBytes},
 * {@code jobId} and {@code checkpoints} (a SQLite file: a failed write run again with the same job id imports only
 * the partitions not imported before, when the DataFrame's partitioning is the same).
 */
final class MilvusBatchWrite implements BatchWrite {
    private final StructType df;
    private final Map<String, String> options;
    private final WriteOptions shipped;
    private final CollectionSchema schema;
    private final LinkedBlockingQueue<DistributedRun.SplitOutput> committed = new LinkedBlockingQueue<>();
    private final CompletableFuture<List<DistributedRun.SplitTask>> planned = new CompletableFuture<>();
    private final CompletableFuture<MigrationReport> result = new CompletableFuture<>();
    private volatile boolean aborted;

    MilvusBatchWrite(StructType df, Map<String, String> given) {
        this.df = df;
        var lower = new HashMap<String, String>();
        given.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        this.options = lower;
        this.shipped = new WriteOptions(lower);
        this.schema = DataFrameSchema.of(df, lower);
    }

    @Override
    public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
        int partitions = info.numPartitions();
        var b = shipped.writing().source(new DataFrameSource(schema, partitions))
                .target(URI.create(WriteOptions.required(options, "uri")));
        if (options.containsKey("jobid")) {
            b.jobId(options.get("jobid"));
        }
        io.milvus.migration.spi.CheckpointStore store = options.containsKey("checkpoints")
                ? io.milvus.migration.checkpoint.CheckpointStores.sqlite(Path.of(options.get("checkpoints"))) : null;
        if (store != null) {
            b.checkpoints(store);
        }
        Migration m = b.build();
        Thread t = new Thread(() -> {
            try {
                result.complete(DistributedRun.run(m, new Scheduler()));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                planned.completeExceptionally(e);
            } finally {
                planned.complete(List.of()); // nothing left to write: the job had succeeded, or it failed
                m.target().ifPresent(x -> x.close());
                m.staging().ifPresent(x -> x.close());
                if (store != null) {
                    store.close();
                }
            }
        }, "milvus-write-" + schema.name());
        t.setDaemon(true);
        t.start();
        List<DistributedRun.SplitTask> tasks;
        try {
            tasks = planned.join(); // the job is planned, its collection open, before any task writes
        } catch (java.util.concurrent.CompletionException e) {
            throw unwrap(e);
        }
        var byPartition = new HashMap<Integer, DistributedRun.SplitTask>();
        for (DistributedRun.SplitTask task : tasks) {
            byPartition.put(DataFrameSource.partition(task.split().id()), task);
        }
        return new MilvusDataWriter.Factory(df, shipped, byPartition);
    }

    @Override
    public boolean useCommitCoordinator() {
        return true; // one attempt per partition may commit
    }

    @Override
    public void onDataWriterCommit(WriterCommitMessage message) {
        var out = ((MilvusDataWriter.Committed) message).output;
        if (out != null) {
            committed.add(out);
        }
    }

    @Override
    public void commit(WriterCommitMessage[] messages) {
        try {
            result.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw unwrap(e);
        }
    }

    @Override
    public void abort(WriterCommitMessage[] messages) {
        aborted = true;
        try {
            result.join();
        } catch (RuntimeException e) {
            SparkMigration.LOG.warn("write to {} aborted: {}", schema.name(), e.getMessage());
        }
    }

    private static RuntimeException unwrap(java.util.concurrent.CompletionException e) {
        return e.getCause() instanceof RuntimeException r ? r : e;
    }

    /** Hands the tasks to the writer factory, then reports each partition Spark committed. */
    private final class Scheduler implements DistributedRun.Scheduler {
        @Override
        public void run(List<DistributedRun.SplitTask> tasks, DistributedRun.Reports reports) {
            var pending = new java.util.HashSet<String>();
            tasks.forEach(t -> pending.add(t.split().id()));
            planned.complete(tasks);
            try {
                while (!pending.isEmpty()) {
                    DistributedRun.SplitOutput out = committed.poll(200, TimeUnit.MILLISECONDS);
                    if (out != null) {
                        reports.report(out);
                        pending.remove(out.split());
                    } else {
                        reports.check();
                        if (aborted) {
                            throw new MigrationException(ErrorCode.INTERNAL, "Spark aborted the write to "
                                    + schema.name() + " with " + pending.size() + " partitions not committed");
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted writing " + schema.name(), e);
            }
        }
    }

    /** The DataFrame as the run's source: its schema, one split per partition; never read on the driver. */
    static final class DataFrameSource implements Source {
        private final CollectionSchema schema;
        private final int partitions;

        DataFrameSource(CollectionSchema schema, int partitions) {
            this.schema = schema;
            this.partitions = partitions;
        }

        static int partition(String splitId) {
            return Integer.parseInt(splitId.substring(1));
        }

        @Override
        public String describe() {
            return "spark-dataframe(" + partitions + " partitions)";
        }

        @Override
        public List<SourceCollection> collections() {
            return List.of(new SourceCollection(schema, -1));
        }

        @Override
        public List<Split> splits(SourceCollection collection) {
            var list = new ArrayList<Split>();
            for (int i = 0; i < partitions; i++) {
                list.add(new PartitionSplit("p" + i));
            }
            return list;
        }

        @Override
        public SplitReader open(Split split) {
            throw new MigrationException(ErrorCode.INTERNAL, "a DataFrame partition is written by its Spark task");
        }

        @Override
        public void close() {
        }
    }

    /** Partition N of the DataFrame. */
    record PartitionSplit(String id) implements Split {
        @Override
        public long estimatedRows() {
            return -1;
        }
    }
}
