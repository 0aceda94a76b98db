package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressEvent;
import io.milvus.migration.spi.SkippedRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the threads of one running job share: whether it is to stop (cancelled, or failed somewhere), and the
 * figures its progress events report.
 */
final class JobControl {
    private final Migration migration;
    private final String jobId;
    private volatile boolean cancelled;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile String collection = "";
    private volatile long rowsTotal = -1;
    private volatile int splitsTotal = -1;
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong rowsImported = new AtomicLong();
    private final AtomicLong rowsSkipped = new AtomicLong();
    private final List<SkippedRow> skipped = new ArrayList<>();
    private final AtomicInteger splitsDone = new AtomicInteger();
    private final AtomicInteger groupsStaged = new AtomicInteger();
    private final AtomicInteger groupsImported = new AtomicInteger();

    JobControl(Migration migration, String jobId) {
        this.migration = migration;
        this.jobId = jobId;
    }

    String jobId() {
        return jobId;
    }

    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Records the first failure of any thread, so that the others stop. */
    void fail(RuntimeException e) {
        failure.compareAndSet(null, e);
    }

    /** Whether the job is to stop. */
    boolean stopping() {
        return cancelled || failure.get() != null;
    }

    /** Throws if the job is to stop: the failure that stops it, or {@code INTERRUPTED} when it was cancelled. */
    void checkRunning() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e instanceof MigrationException me ? new MigrationException(me.code(), me.reason(), me) : e;
        }
        if (cancelled) {
            throw cancelledError();
        }
    }

    MigrationException cancelledError() {
        return new MigrationException(ErrorCode.INTERRUPTED, "job " + jobId + " was cancelled");
    }

    /** Starts the figures of a collection; counts carried over from earlier attempts are given. */
    void beginCollection(String name, long total, int splits, int splitsDoneBefore, long rowsReadBefore,
                         long rowsImportedBefore, int groupsImportedBefore) {
        collection = name;
        rowsTotal = total;
        splitsTotal = splits;
        splitsDone.set(splitsDoneBefore);
        rowsRead.set(rowsReadBefore);
        bytesRead.set(0);
        rowsImported.set(rowsImportedBefore);
        groupsStaged.set(groupsImportedBefore);
        groupsImported.set(groupsImportedBefore);
    }

    /** Rows the source left out; the first {@link MigrationReport#SKIPPED_LISTED} are kept for the report. */
    void skipped(List<SkippedRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        rowsSkipped.addAndGet(rows.size());
        synchronized (skipped) {
            for (var r : rows) {
                if (skipped.size() < MigrationReport.SKIPPED_LISTED) {
                    skipped.add(r);
                }
            }
        }
    }

    long rowsSkipped() {
        return rowsSkipped.get();
    }

    List<SkippedRow> skippedRows() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    void read(int rows, long bytes) {
        rowsRead.addAndGet(rows);
        bytesRead.addAndGet(bytes);
        emit(ProgressEvent.Stage.READ, rowsRead.get(), rowsTotal, "");
    }

    void splitDone() {
        splitsDone.incrementAndGet();
    }

    void staged(long rows) {
        groupsStaged.incrementAndGet();
        emit(ProgressEvent.Stage.STAGE, rowsRead.get(), rowsTotal, rows + " rows staged");
    }

    void imported(long rows) {
        rowsImported.addAndGet(rows);
        groupsImported.incrementAndGet();
        emit(ProgressEvent.Stage.IMPORT, rowsImported.get(), rowsTotal, "");
    }

    long rowsRead() {
        return rowsRead.get();
    }

    void emit(ProgressEvent.Stage stage, long done, long total, String message) {
        emit(event(stage).rows(done, total).message(message).build());
    }

    ProgressEvent.Builder event(ProgressEvent.Stage stage) {
        return ProgressEvent.builder(stage).jobId(jobId).collection(collection)
                .rowsRead(rowsRead.get()).rowsImported(rowsImported.get()).bytesRead(bytesRead.get())
                .splits(splitsDone.get(), splitsTotal).groups(groupsStaged.get(), groupsImported.get());
    }

    void emit(ProgressEvent event) {
        try {
            migration.listener().onProgress(event);
        } catch (RuntimeException e) {
            DefaultMigrationEngine.LOG.warn("progress listener failed on {}", event, e);
        }
    }
}
