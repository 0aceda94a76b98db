package io.milvus.migration.spi;

/**
 * Where data goes: a Milvus 2.x instance. Thread-safe: the engine may insert from several threads at once. A target
 * only does what the target itself must do (create or check a collection, take one file group or one batch, say how
 * an import stands, count, index and load); scheduling, retries and checkpoints belong to the engine.
 */
public interface Target extends AutoCloseable {

    /** A description for logs and reports, such as {@code milvus://127.0.0.1:19530/default}; never secrets. */
    String describe();

    /**
     * Whether rows are loaded by bulk import of staged files ({@link TargetCollection#submitImport}) rather than
     * by inserts ({@link TargetCollection#insert}).
     */
    boolean bulkImport();

    /**
     * Prepares a collection for loading as job {@code jobId}. On a job's first attempt ({@code resume} false) the
     * configured policy applies: create it, check it for an append, or drop and recreate it. When resuming, an
     * existing collection is taken as it is (after a schema check) and a missing one is created; a collection this
     * job created in an earlier attempt is recognised as such ({@link TargetCollection#created()}).
     *
     * @throws io.milvus.migration.MigrationException {@code COLLECTION_EXISTS} if it exists and neither append
     *                                                nor recreate was chosen, {@code TARGET_UNAVAILABLE} if the
     *                                                target cannot be reached
     */
    TargetCollection open(CollectionSchema schema, String jobId, boolean resume);

    /**
     * Reads back what a target holds, for {@code Migration.verify()}. The default reads nothing.
     *
     * @return the reader; empty if this target cannot be read back
     */
    default java.util.Optional<TargetReader> reader() {
        return java.util.Optional.empty();
    }

    /** Closes connections. */
    @Override
    void close();
}
