package io.milvus.migration.spi;

import java.util.Optional;

/**
 * Reads one split as a sequence of batches. Used by one thread at a time; the engine calls {@link #next(int)} until
 * it returns empty, then {@link #close()} (also after a failure).
 */
public interface SplitReader extends AutoCloseable {
    /**
     * Reads the next batch of at most {@code maxRows} rows (at least one row).
     *
     * @return the next batch, or empty when the split is exhausted
     * @throws io.milvus.migration.MigrationException if the data is unreadable; the message names the split, file
     *                                                and offset
     */
    Optional<Batch> next(int maxRows);

    /**
     * Allows this reader to hand out its vector column as {@link Column.StoredVectors} (bytes of the source that
     * a writer copies as they are) instead of decoded values, where the source holds them in the bulk file's
     * layout. The engine calls this before the first {@link #next(int)} when the batches go straight to a writer
     * that copies such columns; other consumers never see them. The default ignores it.
     *
     * @return whether this reader will hand out stored vectors
     */
    default boolean allowStoredVectors() {
        return false;
    }

    /** Releases files and connections. */
    @Override
    void close();
}
