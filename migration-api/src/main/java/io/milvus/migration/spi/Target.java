package io.milvus.migration.spi;

/**
 * Where data goes: a Milvus 2.x instance. Thread-safe: the engine may insert from several threads at once.
 */
public interface Target extends AutoCloseable {

    /** A description for logs and reports, such as {@code milvus://127.0.0.1:19530/default}; never secrets. */
    String describe();

    /**
     * Whether rows are loaded by bulk import of staged files ({@link TargetCollection#importFiles}) rather than
     * by inserts ({@link TargetCollection#insert}).
     */
    boolean bulkImport();

    /**
     * Prepares the collection for loading: creates it, or checks it for an append, or drops and recreates it, as
     * configured.
     *
     * @throws io.milvus.migration.MigrationException {@code COLLECTION_EXISTS} if it exists and neither append
     *                                                nor recreate was chosen, {@code TARGET_UNAVAILABLE} if the
     *                                                target cannot be reached
     */
    TargetCollection open(CollectionSchema schema);

    /** Closes connections. */
    @Override
    void close();
}
