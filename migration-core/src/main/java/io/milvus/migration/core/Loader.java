package io.milvus.migration.core;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.core.JobRecords.Group;
import io.milvus.migration.core.JobRecords.GroupState;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.ImportStatus;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.TargetCollection;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Imports the file groups of one collection as they are published, on a thread of its own: at most
 * {@code maxConcurrentImports} import jobs at once, each group's state recorded before and after every step (so that
 * a crash neither loses nor repeats a group), transient failures tried again with backoff, a committed group's files
 * deleted at once.
 */
final class Loader {
    private final Migration migration;
    private final JobLedger ledger;
    private final TargetCollection target;
    private final Storage staging;
    private final JobControl control;
    private final StagingBudget budget;
    private final boolean deleteCommitted;
    private final ArrayDeque<Group> queue = new ArrayDeque<>();
    private final Map<String, Group> running = new LinkedHashMap<>();
    private final Map<String, Long> deadlines = new LinkedHashMap<>();
    private boolean readingDone;
    private RuntimeException failure;
    private Thread thread;

    Loader(Migration migration, JobLedger ledger, TargetCollection target, Storage staging, JobControl control,
           StagingBudget budget, boolean deleteCommitted) {
        this.deleteCommitted = deleteCommitted;
        this.migration = migration;
        this.ledger = ledger;
        this.target = target;
        this.staging = staging;
        this.control = control;
        this.budget = budget;
    }

    /** Starts the loader thread, first taking over the groups an earlier attempt left uncommitted. */
    void start(List<Group> earlier) {
        for (Group g : earlier) {
            switch (g.state) {
                case STAGED -> queue.add(g);
                case SUBMITTING -> {
                    Optional<String> id = retrying("look for an import of " + g.keys, () -> target.findImport(
                            bulkGroup(g), staging));
                    if (id.isPresent()) {
                        LOG().info("group {} was submitted before the interruption as import {}", g.id, id.get());
                        submitted(g, id.get());
                    } else {
                        queue.add(g);
                    }
                }
                case SUBMITTED -> submitted(g, g.importId);
                case COMMITTED -> {
                }
            }
            if (g.state != GroupState.COMMITTED) {
                budget.add(g.bytes);
            }
        }
        thread = new Thread(this::loop, "migration-" + target.name() + "-loader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes a group just published and recorded. */
    synchronized void add(Group g) {
        queue.add(g);
        notifyAll();
    }

    /** No more groups will come. */
    synchronized void readingDone() {
        readingDone = true;
        notifyAll();
    }

    /** Whether groups are waiting for import or being imported (so that space in staging will be freed). */
    synchronized boolean busy() {
        return !queue.isEmpty() || !running.isEmpty();
    }

    /** Waits for the loader thread to end; throws its failure. */
    void await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw control.cancelledError();
        }
        synchronized (this) {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Stops the loader thread without submitting more; imports already submitted stay with the target. */
    void stop() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        try {
            while (true) {
                control.checkRunning();
                synchronized (this) {
                    if (readingDone && queue.isEmpty() && running.isEmpty()) {
                        return;
                    }
                }
                submitWhatFits();
                pollRunning();
                synchronized (this) {
                    boolean canSubmit = !queue.isEmpty() && running.size() < migration.maxConcurrentImports();
                    if (!canSubmit && !(readingDone && queue.isEmpty() && running.isEmpty())) {
                        // woken early by a new group or the end of reading
                        wait(running.isEmpty() ? 1000 : migration.pollInterval().toMillis());
                    }
                }
            }
        } catch (InterruptedException e) {
            fail(control.cancelledError());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private synchronized void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        control.fail(e);
        notifyAll();
    }

    private void submitWhatFits() {
        while (true) {
            Group g;
            synchronized (this) {
                if (queue.isEmpty() || running.size() >= migration.maxConcurrentImports()) {
                    return;
                }
                g = queue.peek(); // stays in the queue (busy() sees it) until it is running
            }
            control.checkRunning();
            g.state = GroupState.SUBMITTING;
            ledger.save(g);
            String id = retrying("submit the import of " + g.keys, () -> target.submitImport(bulkGroup(g), staging));
            submitted(g, id);
        }
    }

    private void submitted(Group g, String importId) {
        g.state = GroupState.SUBMITTED;
        g.importId = importId;
        ledger.save(g);
        synchronized (this) {
            queue.remove(g);
            running.put(g.id, g);
            deadlines.put(g.id, System.nanoTime() + migration.importTimeout().toNanos());
        }
    }

    private void pollRunning() {
        List<Group> now;
        synchronized (this) {
            now = List.copyOf(running.values());
        }
        for (Group g : now) {
            control.checkRunning();
            ImportStatus status = retrying("get the state of import " + g.importId, () -> target.importStatus(
                    g.importId));
            switch (status.state()) {
                case COMPLETED -> commit(g);
                case FAILED -> failed(g, status);
                case RUNNING -> {
                    long deadline;
                    synchronized (this) {
                        deadline = deadlines.get(g.id);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new MigrationException(ErrorCode.IMPORT_FAILED, "import " + g.importId + " of "
                                + g.keys + " into " + target.name() + " did not finish within "
                                + migration.importTimeout() + "; it stays with the target");
                    }
                }
            }
        }
    }

    private void commit(Group g) {
        g.state = GroupState.COMMITTED;
        ledger.save(g);
        synchronized (this) {
            running.remove(g.id);
            deadlines.remove(g.id);
        }
        if (deleteCommitted) {
            try {
                staging.deletePrefix(g.dir + "/");
            } catch (RuntimeException e) {
                // the job's staging prefix is deleted at its end anyway
                LOG().warn("could not delete the imported files under {}: {}", g.dir, e.getMessage());
            }
        }
        budget.release(g.bytes);
        control.imported(g.rows);
        LOG().debug("group {} imported: {} rows", g.id, g.rows);
    }

    private void failed(Group g, ImportStatus status) {
        synchronized (this) {
            running.remove(g.id);
            deadlines.remove(g.id);
        }
        if (status.retryable() && g.attempts < migration.retries()) {
            g.attempts++;
            g.state = GroupState.STAGED;
            g.importId = "";
            g.error = status.reason();
            ledger.save(g);
            LOG().warn("import of {} failed ({}); trying again, attempt {} of {}", g.keys, status.reason(),
                    g.attempts, migration.retries());
            sleep(backoff(g.attempts));
            synchronized (this) {
                queue.addFirst(g);
            }
            return;
        }
        g.state = GroupState.STAGED;
        g.error = status.reason();
        ledger.save(g);
        throw new MigrationException(ErrorCode.IMPORT_FAILED, target.name() + ": the target failed to import "
                + g.keys + (g.partition.isEmpty() ? "" : " into partition " + g.partition) + ": " + status.reason());
    }

    /** Runs a step, trying again after transient failures (an unreachable target) with growing pauses. */
    private <T> T retrying(String what, Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (MigrationException e) {
                if (e.code() != ErrorCode.TARGET_UNAVAILABLE || attempt > migration.retries()) {
                    throw e;
                }
                LOG().warn("could not {} (attempt {} of {}): {}", what, attempt, migration.retries() + 1,
                        e.reason());
                sleep(backoff(attempt));
            }
        }
    }

    private void sleep(long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            control.checkRunning();
            try {
                Thread.sleep(Math.min(200, Math.max(1, end - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw control.cancelledError();
            }
        }
    }

    /** Pauses growing from the poll interval: 0.5 s, 1 s, 2 s, ... at most 30 of it (15 s) by default. */
    private long backoff(int attempt) {
        long base = Math.max(1, migration.pollInterval().toMillis());
        return Math.min(30 * base, base << Math.min(10, attempt - 1));
    }

    static BulkFileGroup bulkGroup(Group g) {
        return new BulkFileGroup(BulkFormat.valueOf(g.format), g.keys, g.rows, g.partition);
    }

    private static org.slf4j.Logger LOG() {
        return DefaultMigrationEngine.LOG;
    }
}
