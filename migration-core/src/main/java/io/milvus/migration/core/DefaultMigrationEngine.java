package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.JobState;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationHandle;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.CheckpointStoreFactory;
import io.milvus.migration.spi.MigrationEngine;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link Migration}'s verbs; found by {@link java.util.ServiceLoader}. Stateless: every job runs
 * on a thread of its own with its own state.
 */
public final class DefaultMigrationEngine implements MigrationEngine {
    static final Logger LOG = LoggerFactory.getLogger(DefaultMigrationEngine.class);
    /** Where a job's state is kept when a job id is given without a store. */
    static final Path DEFAULT_CHECKPOINT_FILE = Path.of("migration-checkpoints.db");

    /** Called by {@link java.util.ServiceLoader}. */
    public DefaultMigrationEngine() {
    }

    @Override
    public MigrationHandle start(Migration migration, Migration.Verb verb) {
        String jobId = migration.jobId().orElseGet(() -> "run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(0x10000 | ThreadLocalRandom.current().nextInt(0x10000)).substring(1));
        var handle = new Handle(jobId, new JobControl(migration, jobId));
        Thread t = new Thread(() -> handle.run(migration, verb), "migration-job-" + jobId);
        t.start();
        return handle;
    }

    @Override
    public io.milvus.migration.MigrationPlan plan(Migration migration) {
        return Planner.plan(migration);
    }

    @Override
    public io.milvus.migration.VerifyReport verify(Migration migration, io.milvus.migration.VerifyOptions options) {
        return new Verifier(migration, options).verify();
    }

    /** The store of a job: the one given, the default local file for a job id, or memory. */
    static CheckpointStore storeFor(Migration m, boolean[] owned) {
        if (m.checkpoints().isPresent()) {
            return m.checkpoints().get();
        }
        owned[0] = true;
        if (m.jobId().isEmpty()) {
            return new MemoryCheckpointStore();
        }
        CheckpointStoreFactory factory = ServiceLoader.load(CheckpointStoreFactory.class, m.classLoader()).findFirst().orElseThrow(() -> new MigrationException(
                ErrorCode.INVALID_CONFIG, "job " + m.jobId().get() + " needs a checkpoint store: give one with"
                + " checkpoints(...) or add the migration-checkpoint artifact for the default local file"));
        return factory.local(DEFAULT_CHECKPOINT_FILE.toAbsolutePath());
    }

    /** Joins key parts with '/', leaving out empty ones. */
    static String key(String... parts) {
        return String.join("/", java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).toList());
    }

    /** A running job. */
    private static final class Handle implements MigrationHandle {
        private final String id;
        private final JobControl control;
        private volatile JobState state = JobState.RUNNING;
        private final CompletableFuture<MigrationReport> result = new CompletableFuture<>();

        Handle(String id, JobControl control) {
            this.id = id;
            this.control = control;
        }

        void run(Migration m, Migration.Verb verb) {
            boolean[] owned = new boolean[1];
            CheckpointStore store = null;
            try {
                store = storeFor(m, owned);
                MigrationReport report = new JobRun(m, verb, control, JobLedger.read(store, id),
                        !(store instanceof MemoryCheckpointStore)).execute();
                state = JobState.SUCCEEDED;
                result.complete(report);
            } catch (RuntimeException e) {
                state = control.cancelled() ? JobState.CANCELLED : JobState.FAILED;
                result.completeExceptionally(e);
            } catch (Error e) {
                state = JobState.FAILED;
                result.completeExceptionally(e);
                throw e;
            } finally {
                if (owned[0] && store != null) {
                    store.close();
                }
            }
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public JobState state() {
            return state;
        }

        @Override
        public void cancel() {
            if (!state.isFinal()) {
                LOG.info("cancelling job {}", id);
                control.cancel();
            }
        }

        @Override
        public CompletableFuture<MigrationReport> result() {
            return result.copy(); // callers cannot complete the job's own future
        }

        @Override
        public String toString() {
            return "MigrationHandle[" + id + ", " + state + "]";
        }
    }
}
