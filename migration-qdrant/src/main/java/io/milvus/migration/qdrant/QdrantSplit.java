package io.milvus.migration.qdrant;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Split;

/**
 * The points of a Qdrant collection with ids from {@code start} (inclusive) to {@code end} (exclusive), in Qdrant's
 * id order. Plain data: ids as {@link PointKey} text.
 *
 * @param id         the split id: {@code <collection>/from-start} or {@code <collection>/from-<first point id>}
 * @param collection the collection's name
 * @param start      the first point id, "" for the collection's start
 * @param end        the first point id of the next split, "" for the collection's end
 * @param rows       the points counted in the range when the splits were cut
 */
record QdrantSplit(String id, String collection, String start, String end, long rows) implements Split {
    QdrantSplit {
        requireNonNull(id, "id is null");
        requireNonNull(collection, "collection is null");
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
    }

    @Override
    public long estimatedRows() {
        return rows;
    }
}
