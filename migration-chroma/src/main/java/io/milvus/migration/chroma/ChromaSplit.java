package io.milvus.migration.chroma;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Split;

/**
 * Records {@code [offset, offset + rows)} of a Chroma collection, in Chroma's storage order. Plain data.
 *
 * @param id           the split id: {@code <collection>/<offset>}
 * @param collection   the collection's name
 * @param collectionId Chroma's id of the collection (a recreated collection gets a new one)
 * @param offset       the first record
 * @param rows         how many records
 */
record ChromaSplit(String id, String collection, String collectionId, long offset, long rows) implements Split {
    ChromaSplit {
        requireNonNull(id, "id is null");
        requireNonNull(collection, "collection is null");
        requireNonNull(collectionId, "collectionId is null");
    }

    @Override
    public long estimatedRows() {
        return rows;
    }
}
