package io.milvus.migration.core;

import io.milvus.migration.spi.CheckpointStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * A checkpoint store for tests that stands for a durable one (a job on it is resumable): the engine's memory store
 * underneath, every write first passed to a hook that may throw (a crash before the write lands), writes counted.
 */
public final class DurableMemoryStore implements CheckpointStore {
    private final MemoryCheckpointStore entries = new MemoryCheckpointStore();
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
    public List<Entry> read(String jobId) {
        return entries.read(jobId);
    }

    @Override
    public List<String> jobIds() {
        return entries.jobIds();
    }

    @Override
    public synchronized void write(String jobId, List<Entry> batch) {
        beforeWrite.accept(batch.get(0).kind());
        writes++;
        entries.write(jobId, batch);
    }

    @Override
    public void drop(String jobId) {
        entries.drop(jobId);
    }

    @Override
    public void close() {
    }
}
