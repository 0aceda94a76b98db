package io.milvus.migration.pgvector;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Split;

/**
 * The rows of a table or query whose key lies in {@code [lower, upper)}, read in key order;
 * plain data.
 *
 * @param id            the split id: {@code <collection>/<part number>}
 * @param collection    the collection the rows belong to
 * @param lower         the first key of the range, as text; null for no lower bound
 * @param upper         the key after the range, as text; null for no upper bound
 * @param estimatedRows rows the range is expected to hold
 */
record PgvectorSplit(String id, String collection, String lower, String upper, long estimatedRows) implements Split {
    PgvectorSplit {
        requireNonNull(id, "id is null");
        requireNonNull(collection, "collection is null");
    }
}
