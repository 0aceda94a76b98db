package io.milvus.migration.core;

import io.milvus.migration.spi.CheckpointStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A checkpoint store for tests that stands for a durable one (a job on it is resumable): entries in memory, every
 * write first passed to a hook that may throw (a crash before the write lands), writes counted.
 */
public final class DurableMemoryStore implements CheckpointStore {
    private final Map<String, Map<String, Entry>> jobs = new TreeMap<>();
    private volatile Consumer<String> beforeWrite = kind -> { };
    private int writes;

    /** Calls {@code hook} with the first entry's kind before each write; what it throws fails the write. */
    public DurableMemoryStore beforeWrite(Consumer<String> hook) {
        this.beforeWrite = hook;
        return this;
    }

    public synchronized int writes() {
        return writes;
    }

    @Override
    public String describe() {
        return "test-store";
    }

    @Override
    public synchronized List<Entry> read(String jobId) {
        return new ArrayList<>(jobs.getOrDefault(jobId, Map.of()).values());
    }

    @Override
    public synchronized List<String> jobIds() {
        return new ArrayList<>(jobs.keySet());
    }

    @Override
    public synchronized void write(String jobId, List<Entry> entries) {
        beforeWrite.accept(entries.get(0).kind());
        writes++;
        var job = jobs.computeIfAbsent(jobId, k -> new LinkedHashMap<>());
        entries.forEach(e -> job.put(e.kind() + "\n" + e.key(), e));
    }

    @Override
    public synchronized void drop(String jobId) {
        jobs.remove(jobId);
    }

    @Override
    public void close() {
    }
}
