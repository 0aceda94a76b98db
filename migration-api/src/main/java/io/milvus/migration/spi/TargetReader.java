package io.milvus.migration.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads back what a {@link Target} holds, so that a migration can be verified: counts per partition, rows by
 * primary key, index and search. Thread-safe; called by {@code Migration.verify()} after the rows are in.
 */
public interface TargetReader {

    /** Whether the collection exists. */
    boolean exists(String collection);

    /**
     * Rows per partition, the default partition as "".
     *
     * @throws io.milvus.migration.MigrationException {@code TARGET_REJECTED} if the collection does not exist
     */
    Map<String, Long> partitionRows(String collection);

    /**
     * The rows whose primary keys are {@code keys}, every field of {@code schema}, in any order; keys the
     * collection does not hold are left out. The target may need to load the collection first (and does).
     *
     * @param keys a {@link Column.Longs} or {@link Column.Strings} of primary keys
     */
    Batch get(String collection, CollectionSchema schema, Column keys);

    /** The index on a field, with its metric and build parameters; empty if the field has none. */
    Optional<IndexSpec> index(String collection, String field);

    /**
     * The {@code topK} nearest rows to each query vector in {@code field}, searched as exactly as the field's index
     * allows (an IVF index with every list probed, HNSW with a wide beam). The collection is loaded first if it is
     * not.
     *
     * @param queries a {@link Column.FloatVectors} or {@link Column.BinaryVectors}
     * @return one result per query, in order
     * @throws io.milvus.migration.MigrationException {@code TARGET_REJECTED} if the field has no index (Milvus cannot
     *                                                search it)
     */
    List<Hits> search(String collection, FieldSchema field, Column queries, int topK);

    /**
     * What a search found for one query.
     *
     * @param keys   primary keys, nearest first ({@code Long} or {@code String})
     * @param scores the target's distance or similarity for each, as its metric gives it
     */
    record Hits(List<Object> keys, float[] scores) {
        public Hits {
            keys = List.copyOf(keys);
            if (scores.length != keys.size()) {
                throw new IllegalArgumentException(keys.size() + " keys but " + scores.length + " scores");
            }
        }
    }
}
