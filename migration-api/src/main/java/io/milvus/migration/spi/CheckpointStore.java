package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Durable job state: for each job, entries of a kind and key with a text value that the engine writes and reads
 * (job status, collections, split positions, file groups). The store does not interpret values, so what the engine
 * records can grow without changing stores. Thread-safe; every failure is a
 * {@link io.milvus.migration.MigrationException} with code {@code CHECKPOINT_IO} naming the store (never its
 * password).
 */
public interface CheckpointStore extends AutoCloseable {

    /** A description for logs and errors, such as {@code sqlite:/data/checkpoints.db}; never contains secrets. */
    String describe();

    /** Every entry of a job; empty for an unknown job. */
    List<Entry> read(String jobId);

    /** The ids of every job with entries, sorted. */
    List<String> jobIds();

    /**
     * Writes entries of a job atomically: after a crash either all of them are stored or none. An entry replaces the
     * one of the same kind and key.
     */
    void write(String jobId, List<Entry> entries);

    /** Forgets a job; nothing if it is unknown. */
    void drop(String jobId);

    /** Releases connections. */
    @Override
    void close();

    /**
     * One stored entry.
     *
     * @param kind  what it records, such as {@code job}, {@code split}, {@code group}; at most 32 characters
     * @param key   which one, unique within the kind; at most 400 characters
     * @param value the recorded value
     */
    record Entry(String kind, String key, String value) {
        public Entry {
            requireNonNull(kind, "kind is null");
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
            if (kind.length() > 32 || key.length() > 400) {
                throw new IllegalArgumentException("checkpoint entry kind or key too long: " + kind + "/" + key);
            }
        }
    }
}
