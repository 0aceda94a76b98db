package io.milvus.migration.spi;

import java.util.List;

/**
 * One collection being loaded. The engine calls {@link #insert} or {@link #importFiles} (possibly from several
 * threads), then {@link #complete} once; or {@link #abort} after any failure.
 */
public interface TargetCollection {

    /** The collection's name in the target. */
    String name();

    /**
     * Inserts the rows of a batch into a partition ("" for the default one, others are created when first used);
     * returns when the target has accepted them.
     */
    void insert(String partition, Batch batch);

    /**
     * Imports staged files, each group into its partition (created when first used), and waits until the target
     * has finished them.
     *
     * @throws io.milvus.migration.MigrationException {@code IMPORT_FAILED} with the target's reason
     */
    void importFiles(List<BulkFileGroup> groups);

    /**
     * Finishes loading: makes the rows durable, checks that the collection holds {@code expectedRows} more rows
     * than before {@link Target#open}, then builds the index and loads the collection if configured.
     *
     * @return the rows the collection holds
     * @throws io.milvus.migration.MigrationException {@code COUNT_MISMATCH} if the count differs
     */
    long complete(long expectedRows);

    /**
     * Undoes what can be undone after a failure: a collection created by {@link Target#open} is dropped, so that no
     * partial collection remains looking complete. Never throws.
     */
    void abort(Throwable cause);
}
