package io.milvus.migration.milvus2;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the import calls (submit, state, list) so that the client never cancels one half-way. Milvus 2.3.5's proxy
 * dereferences a null response when its GetImportState call fails, and a call the client cancels (a thread
 * interrupted inside a blocking call, a channel shut down with calls in flight) fails that way: the whole server
 * dies. So the calls run on threads of their own that are never interrupted; an interrupted caller stops waiting
 * (the call ends on its own), and {@link #close()} lets the calls in flight end before the channel is shut.
 */
final class UncancelledCalls implements AutoCloseable {
    /** How long {@link #close()} waits for calls in flight; a call to a live server takes milliseconds. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "milvus-import-call");
        t.setDaemon(true);
        return t;
    });

    <T> T call(Supplier<T> rpc, String what) {
        Future<T> f;
        try {
            f = threads.submit(rpc::get);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new MigrationException(ErrorCode.INTERRUPTED, "the Milvus target is closed: cannot " + what);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
