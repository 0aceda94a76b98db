package io.milvus.migration.core;

import io.milvus.migration.spi.CheckpointStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Job state kept in memory only: for runs without a job id, whose state ends with the run. */
final class MemoryCheckpointStore implements CheckpointStore {
    private final Map<String, Map<String, Entry>> jobs = new TreeMap<>();

    @Override
    public String describe() {
        return "memory";
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
        var job = jobs.computeIfAbsent(jobId, k -> new LinkedHashMap<>());
        for (Entry e : entries) {
            job.put(e.kind() + "\n" + e.key(), e);
        }
    }

    @Override
    public synchronized void drop(String jobId) {
        jobs.remove(jobId);
    }

    @Override
    public void close() {
    }
}
