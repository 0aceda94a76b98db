package io.milvus.migration.faiss;

import static io.milvus.migration.faiss.FaissErrors.format;
import static io.milvus.migration.faiss.FaissErrors.unsupported;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * Parses the headers of a Faiss binary index file ({@code faiss.write_index_binary}, little-endian) into a
 * {@link Layout}, without reading the codes. As for float indexes, every length is checked against the file size
 * before anything is allocated or skipped.
 */
final class FaissBinaryLayoutParser extends FaissParser {
    /** Binary index types whose codes this reader recovers. */
    static final String SUPPORTED = "IBxF (IndexBinaryFlat), IBwF (IndexBinaryIVF), IBMp, IBM2"
            + " (IndexBinaryIDMap/2), IBHf (IndexBinaryHNSW)";

    /** Largest dimension in bits accepted (Faiss itself has no limit; this keeps corrupt values out). */
    private static final int MAX_DIMENSION = 1 << 20;

    /**
     * Where a binary index file keeps its codes and ids.
     *
     * @param dimension   dimension in bits (a multiple of 8)
     * @param rows        number of vectors
     * @param indexType   four-character code of the outermost index, such as {@code IBMp}
     * @param flatOffset  for flat storage (IBxF, also inside IBHf): offset of the first code; -1 for IVF
     * @param listSizes   for IVF: rows of each inverted list; empty otherwise
     * @param listOffsets for IVF: offset of each list's codes (its int64 ids follow them)
     * @param idMapOffset offset of an ID map's int64 ids, -1 without one
     */
    record Layout(int dimension, long rows, String indexType, long flatOffset, long[] listSizes,
                  long[] listOffsets, long idMapOffset) {
        boolean isIvf() {
            return flatOffset < 0;
        }

        /** Bytes of one code: dimension / 8. */
        int codeSize() {
            return dimension / 8;
        }
    }

    private FaissBinaryLayoutParser(SeekableByteChannel channel, FaissFile file) throws IOException {
        super(channel, file);
    }

    /** Whether a file starting with this four-character code is a binary index (all their codes start "IB"). */
    static boolean isBinaryCode(String fourcc) {
        return fourcc.startsWith("IB");
    }

    static Layout parse(SeekableByteChannel channel, FaissFile file) throws IOException {
        return parse(channel, file, new FaissIndexFacts());
    }

    /** Parses the file, recording how its index searches into {@code facts}. */
    static Layout parse(SeekableByteChannel channel, FaissFile file, FaissIndexFacts facts) throws IOException {
        var parser = new FaissBinaryLayoutParser(channel, file);
        Layout layout = parser.index(true);
        if (parser.pos != parser.size) {
            throw format(file, parser.pos, "binary index ends here but the file has " + (parser.size - parser.pos)
                    + " more bytes");
        }
        FaissLayoutParser.copy(parser.facts, facts);
        return layout;
    }

    private Layout index(boolean outer) throws IOException {
        long at = pos;
        String type = fourcc();
        switch (type) {
            case "IBxF" -> {
                facts.kind("BIN_FLAT");
                Header h = header(false);
                long countAt = pos;
                long bytes = u64("code bytes");
                if (bytes != h.rows * h.codeSize()) {
                    throw format(file, countAt, "binary Flat index holds " + bytes + " code bytes, expected rows "
                            + h.rows + " × " + h.codeSize() + " bytes");
                }
                long offset = pos;
                skip(bytes, "binary Flat codes");
                return new Layout(h.dimension, h.rows, type, offset, new long[0], new long[0], -1);
            }
            case "IBwF" -> {
                facts.kind("BIN_IVF_FLAT");
                Header h = header(false);
                long nlistAt = pos;
                long nlist = u64("nlist");
                if (facts.nlist == 0) {
                    facts.nlist = nlist;
                }
                u64("nprobe");
                Layout quantizer = index(false);
                if (quantizer.dimension() != h.dimension || quantizer.rows() != nlist) {
                    throw format(file, nlistAt, "binary IVF index of dimension " + h.dimension + " with " + nlist
                            + " lists has a quantizer of dimension " + quantizer.dimension() + " with "
                            + quantizer.rows() + " centroids");
                }
                directMap();
                Lists lists = invertedLists("binary IVF index", nlist, h.rows, h.codeSize());
                return new Layout(h.dimension, h.rows, type, -1, lists.sizes(), lists.offsets(), -1);
            }
            case "IBMp", "IBM2" -> {
                Header h = header(true);
                Layout inner = index(false);
                long idsAt = pos;
                long count = u64("id map size");
                if (count != h.rows || inner.rows() != h.rows || inner.dimension() != h.dimension) {
                    throw format(file, idsAt, "binary ID map of dimension " + h.dimension + " holds " + count
                            + " ids for an index of " + h.rows + " rows whose inner index has " + inner.rows()
                            + " rows of dimension " + inner.dimension());
                }
                if (inner.idMapOffset() >= 0) {
                    throw unsupported(file, at, "an ID map around another ID map (" + type + " around "
                            + inner.indexType() + ")");
                }
                long offset = pos;
                skip(count * Long.BYTES, "ID map ids");
                return new Layout(h.dimension, h.rows, type, inner.flatOffset(), inner.listSizes(),
                        inner.listOffsets(), offset);
            }
            case "IBHf" -> {
                facts.kind("BIN_FLAT"); // Milvus 2.3 has no binary HNSW
                Header h = header(false);
                hnswGraph(h.rows);
                long storageAt = pos;
                Layout storage = index(false);
                if (!storage.indexType().equals("IBxF")) {
                    throw unsupported(file, storageAt, "binary HNSW storage of type " + storage.indexType()
                            + "; this reader takes IBxF storage");
                }
                if (storage.rows() != h.rows || storage.dimension() != h.dimension) {
                    throw format(file, storageAt, "binary HNSW index of " + h.rows + " rows of dimension "
                            + h.dimension + " has a storage of " + storage.rows() + " rows of dimension "
                            + storage.dimension());
                }
                return new Layout(h.dimension, h.rows, type, storage.flatOffset(), new long[0], new long[0], -1);
            }
            default -> {
                long d = int32At(pos);
                if (!isBinaryCode(type) || d <= 0 || d > MAX_DIMENSION) {
                    throw format(file, at, "\"" + type + "\" followed by dimension " + d
                            + " is not the start of a Faiss binary index: not a Faiss index file?");
                }
                throw unsupported(file, at, "binary index type " + type + " is not supported"
                        + (outer ? "" : " inside another index") + "; this reader recovers codes from "
                        + SUPPORTED);
            }
        }
    }

    private record Header(int dimension, long rows) {
        int codeSize() {
            return dimension / 8;
        }
    }

    /**
     * d (int32), code_size (int32), ntotal (int64), is_trained (byte), metric_type (int32, no meaning here). An ID
     * map ({@code idMap}) written by Faiss 1.7.x carries code size 0 (its constructor did not set it); the inner
     * index's code size is the one that counts, so 0 is accepted there.
     */
    private Header header(boolean idMap) throws IOException {
        long at = pos;
        int d = i32();
        int codeSize = i32();
        long rows = i64();
        i8();
        i32();
        if (d <= 0 || d > MAX_DIMENSION || d % 8 != 0) {
            throw format(file, at, "binary dimension " + d + " is not a multiple of 8 in 8.." + MAX_DIMENSION);
        }
        if (codeSize != d / 8 && !(idMap && codeSize == 0)) {
            throw format(file, at + 4, "binary code size " + codeSize + " is not dimension " + d + " / 8");
        }
        if (rows < 0) {
            throw format(file, at + 8, "row count " + rows + " is negative");
        }
        if (rows > (size - pos) / (d / 8)) {
            throw format(file, at + 8, "row count " + rows + " of " + d / 8 + "-byte codes cannot fit the "
                    + (size - pos) + " bytes left in the file");
        }
        return new Header(d, rows);
    }
}
