package io.milvus.migration.es;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Split;

/**
 * One slice of an index (or of the indices merged into one collection). Plain data: the point in time it names may
 * have expired when the split is opened again; the reader then opens a new one.
 *
 * @param collection    the collection the slice belongs to
 * @param indices       the comma list of concrete indices searched
 * @param slice         this slice, 0-based
 * @param slices        slices of the collection
 * @param pitId         the point in time the source opened for the collection; "" for scroll or none yet
 * @param estimatedRows documents expected, -1 if unknown
 */
record EsSplit(String collection, String indices, int slice, int slices, String pitId, long estimatedRows)
        implements Split {
    EsSplit {
        requireNonNull(collection, "collection is null");
        requireNonNull(indices, "indices is null");
        requireNonNull(pitId, "pitId is null");
    }

    @Override
    public String id() {
        return "slice-" + slice + "-of-" + slices;
    }

    @Override
    public String toString() {
        return "EsSplit[" + collection + " " + id() + " of " + indices + "]";
    }
}
