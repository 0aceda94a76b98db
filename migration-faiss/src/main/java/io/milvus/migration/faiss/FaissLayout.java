package io.milvus.migration.faiss;

import io.milvus.migration.spi.MetricType;

/**
 * Where a Faiss index file keeps its vectors and ids, found by parsing its headers without reading the vectors.
 *
 * @param dimension   vector dimension
 * @param rows        number of vectors
 * @param metric      the index's metric
 * @param indexType   four-character code of the outermost index, such as {@code IxMp}
 * @param flatOffset  for a Flat index: file offset of the first vector (rows × dimension float32); -1 for IVF
 * @param listSizes   for an IVF index: rows of each inverted list; empty for Flat
 * @param listOffsets for an IVF index: file offset of each non-empty list's codes (its int64 ids follow them)
 * @param idMapOffset file offset of an ID map's int64 ids (row i's id at {@code idMapOffset + 8i}); -1 when the ids
 *                    are the row numbers (Flat) or the ids stored in the lists (IVF)
 */
record FaissLayout(int dimension, long rows, MetricType metric, String indexType, long flatOffset, long[] listSizes,
                   long[] listOffsets, long idMapOffset) {

    boolean isIvf() {
        return flatOffset < 0;
    }

    long vectorBytes() {
        return (long) dimension * Float.BYTES;
    }
}
