package io.milvus.migration.milvus2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Import calls must outlive an interrupted caller and a closing target: Milvus 2.3.5 dies on a cancelled one. */
class UncancelledCallsTest {
    @Test
    void anInterruptedCallerStopsWaitingWhileTheCallRunsToItsEndUninterrupted() throws Exception {
        var release = new CountDownLatch(1);
        var started = new CountDownLatch(1);
        var callInterrupted = new AtomicBoolean();
        var ended = new CountDownLatch(1);
        var thrown = new AtomicReference<Throwable>();
        try (var calls = new UncancelledCalls()) {
            Thread caller = new Thread(() -> {
                try {
                    calls.call(() -> {
                        started.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            callInterrupted.set(true);
                        }
                        ended.countDown();
                        return "state";
                    }, "get state of import task 7");
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            caller.start();
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(5_000);
            assertThat(caller.isAlive()).as("the interrupted caller still waits").isFalse();
            assertThat(thrown.get()).isInstanceOfSatisfying(MigrationException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INTERRUPTED);
                assertThat(e.getMessage()).contains("get state of import task 7");
            });
            assertThat(ended.getCount()).as("the call ended with its caller").isEqualTo(1);
            release.countDown();
            assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(callInterrupted).as("the call was interrupted").isFalse();
        }
    }

    @Test
    void closeWaitsForTheCallsInFlightAndRefusesNewOnes() throws Exception {
        var calls = new UncancelledCalls();
        var started = new CountDownLatch(1);
        var result = CompletableFuture.supplyAsync(() -> calls.call(() -> {
            started.countDown();
            sleep(300);
            return 42;
        }, "submit import"));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        calls.close();
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("close waited for the call")
                .isGreaterThanOrEqualTo(100);
        assertThatThrownBy(() -> calls.call(() -> 1, "list import tasks of c")).isInstanceOfSatisfying(
                MigrationException.class, e -> assertThat(e.getMessage()).contains("list import tasks of c"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError("the call was interrupted", e);
        }
    }
}
