package io.milvus.migration.spark;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.core.DistributedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs a migration on a Spark cluster: the driver plans the splits and keeps the job in the migration's checkpoint
 * store, one Spark task per split reads it on an executor and writes its bulk files to the staging storage, and the
 * driver imports each split's file groups as soon as its task succeeds, while the other tasks still run; then it
 * checks the counts and builds the indexes, as a local run does.
 *
 * <pre>{@code
 * Migration driver = MigrationYaml.load(config, Migration.Verb.RUN).migration(listener);
 * MigrationReport report = SparkMigration.run(spark, driver, MigrationRecipe.yaml(config.toString()));
 * }</pre>
 *
 * <p>A task that fails is retried by Spark (set {@code spark.task.maxFailures}; {@code local[n]} masters do not
 * retry, {@code local[n,f]} do): every attempt writes under a prefix of its own and only the output of the attempt
 * that succeeded is imported, so no row is imported twice. A driver that stops leaves the job in the checkpoint
 * store; running it again with the same job id imports what was staged and reads only the splits not done.
 */
public final class SparkMigration {
    static final Logger LOG = LoggerFactory.getLogger(SparkMigration.class);

    private SparkMigration() {
    }

    /**
     * Runs {@code migration} with its splits read on the executors, each building the migration again from what it
     * was made of: the {@code migration.yaml} it was read from, or its source and staging URIs, transforms and writer
     * settings (see {@link MigrationRecipe#of}).
     *
     * @throws MigrationException {@code INVALID_CONFIG} if the migration cannot be built on the executors (a source
     *                            or staging given as an object: pass a {@link MigrationRecipe}); otherwise as
     *                            {@link Migration#run()} does
     */
    public static MigrationReport run(SparkSession spark, Migration migration) {
        return run(spark, migration, MigrationRecipe.of(java.util.Objects.requireNonNull(migration,
                "migration is null")));
    }

    /**
     * Runs {@code migration} (its source, target, staging and job as configured) with its splits read on the
     * executors, each building its own migration from {@code executors}.
     *
     * @throws MigrationException as {@link Migration#run()} does; a job with an id stays resumable
     */
    public static MigrationReport run(SparkSession spark, Migration migration, MigrationRecipe executors) {
        java.util.Objects.requireNonNull(spark, "spark is null");
        java.util.Objects.requireNonNull(executors, "executors is null");
        return DistributedRun.run(migration, new Scheduler(spark.sparkContext(), executors));
    }

    /** One Spark job per collection, one task per split. */
    static final class Scheduler implements DistributedRun.Scheduler {
        private final SparkContext sc;
        private final MigrationRecipe recipe;

        Scheduler(SparkContext sc, MigrationRecipe recipe) {
            this.sc = sc;
            this.recipe = recipe;
        }

        @Override
        public void run(List<DistributedRun.SplitTask> tasks, DistributedRun.Reports reports) {
            if (tasks.isEmpty()) {
                return;
            }
            String collection = tasks.get(0).collection();
            var done = new LinkedBlockingQueue<DistributedRun.SplitOutput>();
            RDD<DistributedRun.SplitTask> rdd = sc.parallelize(
                    scala.jdk.javaapi.CollectionConverters.asScala(tasks).toSeq(), tasks.size(),
                    ClassTag$.MODULE$.apply(DistributedRun.SplitTask.class));
            var partitions = new ArrayList<Object>();
            for (int i = 0; i < tasks.size(); i++) {
                partitions.add(i);
            }
            sc.setJobDescription("migration: " + tasks.size() + " splits of collection " + collection);
            var job = sc.submitJob(rdd, new WriteSplits(recipe),
                    scala.jdk.javaapi.CollectionConverters.asScala(partitions).toSeq(), new Handler(done),
                    new Nothing());
            try {
                while (true) {
                    DistributedRun.SplitOutput out = done.poll(200, TimeUnit.MILLISECONDS);
                    if (out != null) {
                        reports.report(out);
                        continue;
                    }
                    reports.check();
                    if (job.isCompleted() && done.isEmpty()) {
                        break;
                    }
                }
                awaitJob(job, collection);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                job.cancel();
                throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted while the executors read "
                        + collection, e);
            } catch (RuntimeException e) {
                job.cancel();
                throw e;
            } finally {
                sc.setJobDescription(null);
            }
        }

        private static void awaitJob(org.apache.spark.FutureAction<?> job, String collection) {
            try {
                job.get();
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                // the executor's error names the split and the row; its code says whose fault it is
                throw new MigrationException(codeOf(cause), "the Spark job reading collection " + collection
                        + " failed: " + cause.getMessage(), cause);
            }
        }

        private static ErrorCode codeOf(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof MigrationException me) {
                    return me.code();
                }
            }
            return ErrorCode.INTERNAL;
        }
    }

    /** The task: builds the executor's migration, writes the split's files, returns what it staged. */
    static final class WriteSplits extends AbstractFunction1<scala.collection.Iterator<DistributedRun.SplitTask>,
            DistributedRun.SplitOutput> implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final MigrationRecipe recipe;

        WriteSplits(MigrationRecipe recipe) {
            this.recipe = recipe;
        }

        @Override
        public DistributedRun.SplitOutput apply(scala.collection.Iterator<DistributedRun.SplitTask> it) {
            DistributedRun.SplitTask task = it.next();
            TaskContext ctx = TaskContext.get();
            // unique per attempt: Spark's attempt id is unique within the application, the stage and attempt
            // number make the prefix readable
            String attempt = ctx == null ? "local" : "t" + ctx.stageId() + "-" + ctx.attemptNumber() + "-"
                    + ctx.taskAttemptId();
            Migration m = recipe.build();
            try {
                DistributedRun.SplitOutput out = DistributedRun.writeSplit(m, task, attempt);
                LOG.info("{} (attempt {}): {}", task, attempt, out);
                return out;
            } finally {
                recipe.release(m);
            }
        }
    }

    /** Runs on the driver as each task succeeds (once per split): hands the output to the importing thread. */
    static final class Handler extends AbstractFunction2<Object, DistributedRun.SplitOutput, BoxedUnit>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final transient LinkedBlockingQueue<DistributedRun.SplitOutput> done;

        Handler(LinkedBlockingQueue<DistributedRun.SplitOutput> done) {
            this.done = done;
        }

        @Override
        public BoxedUnit apply(Object partition, DistributedRun.SplitOutput out) {
            done.add(out);
            return BoxedUnit.UNIT;
        }
    }

    /** The job's overall result: none, the outputs went to the handler. */
    static final class Nothing extends AbstractFunction0<BoxedUnit> implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public BoxedUnit apply() {
            return BoxedUnit.UNIT;
        }
    }
}
