package io.milvus.migration.core;

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

    /** Waits until {@code bytes} more fit; throws when the job is to stop. */
    synchronized void await(long bytes, JobControl control) {
        while (full(bytes)) {
            control.checkRunning();
            try {
                wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw control.cancelledError();
            }
        }
    }

    synchronized long peak() {
        return peak;
    }
}
