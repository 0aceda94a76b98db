package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;

/**
 * Bounds the bytes of bulk files in staging (being written or waiting for import): a worker waits before writing
 * while the bound is reached, and the loader frees bytes as groups are committed.
 */
final class StagingBudget {
    private final long max;
    private long used;
    private long peak;

    StagingBudget(long max) {
        this.max = max;
    }

    synchronized void add(long bytes) {
        used += bytes;
        peak = Math.max(peak, used);
    }

    synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }

    /** Whether {@code bytes} more would pass the bound (with nothing staged, anything fits). */
    synchronized boolean full(long bytes) {
        return used > 0 && used + bytes > max;
    }

    /**
     * Waits until {@code bytes} more fit; throws when the job is to stop. While nothing is being imported (so that
     * nothing will free space), {@code cut} is run to publish what the waiting worker holds: cutting only then keeps
     * groups whole while imports are under way.
     */
    void await(long bytes, JobControl control, java.util.function.BooleanSupplier importing, Runnable cut) {
        while (full(bytes)) {
            control.checkRunning();
            if (!importing.getAsBoolean()) {
                cut.run();
            }
            waitForRelease();
        }
    }

    private synchronized void waitForRelease() {
        try {
            wait(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted while waiting for room in staging");
        }
    }

    synchronized long peak() {
        return peak;
    }
}
