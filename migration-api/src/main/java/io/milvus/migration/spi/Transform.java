package io.milvus.migration.spi;

/**
 * Changes rows between source and target: selects, renames or converts fields, renames the collection. Called from
 * several threads at once, so implementations are stateless or thread-safe. {@link #apply(CollectionSchema)} is
 * called once per collection before any batch; {@link #apply(Batch)} must produce batches matching that schema.
 * Serializable, so that a runner can send a migration's transforms to where splits are read (Spark executors): keep
 * what a transform holds serializable (a lambda it is given too: cast it to an intersection with Serializable).
 */
public interface Transform extends java.io.Serializable {
    /** The schema after this transform. */
    CollectionSchema apply(CollectionSchema schema);

    /** The batch after this transform; the input follows the schema given to {@link #apply(CollectionSchema)}. */
    Batch apply(Batch batch);

    /**
     * Whether {@link #apply(Batch)} only renames, drops or reorders columns and passes their values through as they
     * are, so that columns of every kind (also {@link Column.StoredVectors}) may reach it. Default false: a
     * transform that looks at values gets decoded columns.
     */
    default boolean passesColumnsThrough() {
        return false;
    }

    /**
     * Whether {@link #apply(Batch)} may return fewer rows than it is given (a row filter). The engine checks that
     * every row read reaches the target; rows a transform drops are exempt only if it says so here. Default false.
     */
    default boolean dropsRows() {
        return false;
    }
}
