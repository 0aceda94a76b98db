package io.milvus.migration.milvus2;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.spi.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real checkpoint store (SQLite) seen through: every write goes to the store first, then the states of the file
 * groups written are noted, so that a test can wait for "a group was submitted" or "two groups are committed" at
 * the moment the engine records it.
 */
final class WatchedStore implements CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckpointStore store;
    /** Group id to its last recorded state (STAGED, SUBMITTING, SUBMITTED, COMMITTED), over every job. */
    private final Map<String, String> groups = new HashMap<>();
    /** Group id to the target's id of its import, when submitted. */
    private final Map<String, String> imports = new HashMap<>();

    WatchedStore(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public List<Entry> read(String jobId) {
        return store.read(jobId);
    }

    @Override
    public List<String> jobIds() {
        return store.jobIds();
    }

    /** Whether writes wait (see {@link #hold()}). */
    private boolean held;

    @Override
    public void write(String jobId, List<Entry> entries) {
        synchronized (this) {
            while (held) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.milvus.migration.MigrationException(io.milvus.migration.ErrorCode.INTERRUPTED,
                            "interrupted while the test held checkpoint writes", e);
                }
            }
        }
        store.write(jobId, entries);
        synchronized (this) {
            for (Entry e : entries) {
                if (e.kind().equals("group")) {
                    try {
                        var value = JSON.readTree(e.value());
                        groups.put(jobId + "/" + e.key(), value.path("state").asText());
                        imports.put(jobId + "/" + e.key(), value.path("importId").asText());
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
            }
            notifyAll();
        }
    }

    @Override
    public void drop(String jobId) {
        store.drop(jobId);
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * Makes writes wait until {@link #release()}: the engine records every step before it takes it (submitting the
     * next import, say), so holding its writes holds the job still at a known point.
     */
    synchronized void hold() {
        held = true;
    }

    /** Lets held writes go on. */
    synchronized void release() {
        held = false;
        notifyAll();
    }

    /** Groups whose last recorded state is {@code state}. */
    synchronized int count(String state) {
        return (int) groups.values().stream().filter(state::equals).count();
    }

    /** The target's ids of the imports of groups whose last recorded state is {@code state}. */
    synchronized List<String> importIds(String state) {
        return groups.entrySet().stream().filter(g -> g.getValue().equals(state)).map(g -> imports.get(g.getKey()))
                .toList();
    }

    /** Groups recorded, whatever their state. */
    synchronized int groups() {
        return groups.size();
    }

    /** Waits until the recorded group states satisfy {@code condition}; fails after {@code timeout}. */
    synchronized void await(String what, Predicate<WatchedStore> condition, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; groups: "
                        + groups);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public String toString() {
        return "WatchedStore[" + store.describe() + "]";
    }
}
