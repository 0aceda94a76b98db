package io.milvus.migration.faiss;

import io.milvus.migration.spi.MetricType;

/**
 * Where a Faiss index file keeps its codes and ids, found by parsing its headers without reading the codes, and
 * how to turn the codes into the vectors Faiss's {@code reconstruct} gives.
 *
 * @param dimension   vector dimension
 * @param rows        number of vectors
 * @param metric      the index's metric; null when Milvus has no counterpart (then {@code faissMetric} names it)
 * @param indexType   four-character code of the outermost index, such as {@code IxMp}
 * @param flatOffset  for a non-IVF index: file offset of the first code (rows × {@code decoder.codeSize()}
 *                    bytes); -1 for IVF
 * @param listSizes   for an IVF index: rows of each inverted list; empty otherwise
 * @param listOffsets for an IVF index: file offset of each list's codes (its int64 ids follow them)
 * @param idMapOffset file offset of an ID map's int64 ids (row i's id at {@code idMapOffset + 8i}); -1 when the ids
 *                    are the row numbers (non-IVF) or the ids stored in the lists (IVF)
 * @param decoder     decodes the stored codes
 * @param faissMetric Faiss's name of the metric, such as {@code METRIC_L1}
 */
record FaissLayout(int dimension, long rows, MetricType metric, String indexType, long flatOffset, long[] listSizes,
                   long[] listOffsets, long idMapOffset, FaissDecoder decoder, String faissMetric) {

    /** A layout of raw float32 vectors with an L2 or IP metric. */
    FaissLayout(int dimension, long rows, MetricType metric, String indexType, long flatOffset, long[] listSizes,
                long[] listOffsets, long idMapOffset) {
        this(dimension, rows, metric, indexType, flatOffset, listSizes, listOffsets, idMapOffset,
                FaissDecoders.floats(dimension), metric == MetricType.IP ? "METRIC_INNER_PRODUCT" : "METRIC_L2");
    }

    boolean isIvf() {
        return flatOffset < 0;
    }

    /** Bytes of one decoded vector. */
    long vectorBytes() {
        return (long) dimension * Float.BYTES;
    }

    /** Bytes of one stored code. */
    long codeSize() {
        return decoder.codeSize();
    }

    FaissLayout withType(String type, MetricType metric, String faissMetric, long rows) {
        return new FaissLayout(dimension, rows, metric, type, flatOffset, listSizes, listOffsets, idMapOffset,
                decoder, faissMetric);
    }
}
