package io.milvus.migration.faiss;

import static io.milvus.migration.faiss.FaissErrors.format;
import static io.milvus.migration.faiss.FaissErrors.unsupported;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Parses the headers of a Faiss binary index file ({@code faiss.write_index_binary}, little-endian) into a
 * {@link Layout}, without reading the codes. As for float indexes, every length is checked against the file size
 * before anything is allocated or skipped.
 */
final class FaissBinaryLayoutParser {
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

    private final FileChannel channel;
    private final Path file;
    private final long size;
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private long pos;

    private FaissBinaryLayoutParser(FileChannel channel, Path file) throws IOException {
        this.channel = channel;
        this.file = file;
        this.size = channel.size();
    }

    /** Whether a file starting with this four-character code is a binary index (all their codes start "IB"). */
    static boolean isBinaryCode(String fourcc) {
        return fourcc.startsWith("IB");
    }

    static Layout parse(FileChannel channel, Path file) throws IOException {
        var parser = new FaissBinaryLayoutParser(channel, file);
        Layout layout = parser.index(true);
        if (parser.pos != parser.size) {
            throw format(file, parser.pos, "binary index ends here but the file has " + (parser.size - parser.pos)
                    + " more bytes");
        }
        return layout;
    }

    private Layout index(boolean outer) throws IOException {
        long at = pos;
        String type = fourcc();
        switch (type) {
            case "IBxF" -> {
                Header h = header();
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
                Header h = header();
                long nlistAt = pos;
                long nlist = u64("nlist");
                u64("nprobe");
                Layout quantizer = index(false);
                if (quantizer.dimension() != h.dimension || quantizer.rows() != nlist) {
                    throw format(file, nlistAt, "binary IVF index of dimension " + h.dimension + " with " + nlist
                            + " lists has a quantizer of dimension " + quantizer.dimension() + " with "
                            + quantizer.rows() + " centroids");
                }
                directMap();
                return invertedLists(h, type, nlist);
            }
            case "IBMp", "IBM2" -> {
                Header h = header();
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
                Header h = header();
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

    /** d (int32), code_size (int32), ntotal (int64), is_trained (byte), metric_type (int32, no meaning here). */
    private Header header() throws IOException {
        long at = pos;
        int d = i32();
        int codeSize = i32();
        long rows = i64();
        i8();
        i32();
        if (d <= 0 || d > MAX_DIMENSION || d % 8 != 0) {
            throw format(file, at, "binary dimension " + d + " is not a multiple of 8 in 8.." + MAX_DIMENSION);
        }
        if (codeSize != d / 8) {
            throw format(file, at + 4, "binary code size " + codeSize + " is not dimension " + d + " / 8");
        }
        if (rows < 0) {
            throw format(file, at + 8, "row count " + rows + " is negative");
        }
        if (rows > (size - pos) / codeSize) {
            throw format(file, at + 8, "row count " + rows + " of " + codeSize + "-byte codes cannot fit the "
                    + (size - pos) + " bytes left in the file");
        }
        return new Header(d, rows);
    }

    /** Skips the HNSW graph: five vectors (probas, cumulative neighbours, levels, offsets, neighbours), 5 int32. */
    private void hnswGraph(long rows) throws IOException {
        skipVector(Double.BYTES, "HNSW assign_probas");
        skipVector(Integer.BYTES, "HNSW cum_nneighbor_per_level");
        long levelsAt = pos;
        long levels = skipVector(Integer.BYTES, "HNSW levels");
        if (levels != rows) {
            throw format(file, levelsAt, "HNSW levels has " + levels + " entries for " + rows + " rows");
        }
        long offsetsAt = pos;
        long offsets = skipVector(Long.BYTES, "HNSW offsets");
        if (offsets != rows + 1) {
            throw format(file, offsetsAt, "HNSW offsets has " + offsets + " entries for " + rows + " rows");
        }
        skipVector(Integer.BYTES, "HNSW neighbors");
        skip(5L * Integer.BYTES, "HNSW entry point, levels and parameters");
    }

    /** A Faiss vector: its u64 element count, then the elements; returns the count. */
    private long skipVector(int elementBytes, String what) throws IOException {
        long n = u64(what + " size");
        skip(n * elementBytes, what);
        return n;
    }

    private void directMap() throws IOException {
        long at = pos;
        int type = i8();
        if (type != 0 && type != 1 && type != 2) {
            throw format(file, at, "direct map type " + type + " is not 0, 1 or 2");
        }
        skipVector(Long.BYTES, "direct map array");
        if (type == 2) {
            skipVector(2 * Long.BYTES, "direct map hashtable");
        }
    }

    private Layout invertedLists(Header h, String type, long nlist) throws IOException {
        long at = pos;
        String lists = fourcc();
        if (lists.equals("il00")) {
            throw unsupported(file, at, "the binary IVF index was written without inverted lists (il00)");
        }
        if (!lists.equals("ilar")) {
            throw unsupported(file, at, "inverted lists of type " + lists + " are not supported"
                    + (lists.equals("ilod") ? " (on-disk lists: merge them into the index with Faiss first)" : "")
                    + "; this reader takes array lists (ilar)");
        }
        long nlistAt = pos;
        long n = u64("nlist");
        long codeSize = u64("code size");
        if (n != nlist) {
            throw format(file, nlistAt, "inverted lists count " + n + " differs from the index's nlist " + nlist);
        }
        if (codeSize != h.codeSize()) {
            throw format(file, nlistAt + 8, "code size " + codeSize + " is not dimension " + h.dimension + " / 8");
        }
        long[] sizes = listSizes(n);
        long[] offsets = new long[sizes.length];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            offsets[i] = pos;
            if (sizes[i] > 0) {
                skip(sizes[i] * (codeSize + Long.BYTES), "inverted list " + i);
            }
            total += sizes[i];
        }
        if (total != h.rows) {
            throw format(file, at, "inverted lists hold " + total + " rows, the index header says " + h.rows);
        }
        return new Layout(h.dimension, h.rows, type, -1, sizes, offsets, -1);
    }

    private long[] listSizes(long nlist) throws IOException {
        long at = pos;
        String kind = fourcc();
        long[] sizes;
        if (kind.equals("full")) {
            long n = u64("list sizes count");
            if (n != nlist) {
                throw format(file, at + 4, n + " list sizes for " + nlist + " lists");
            }
            sizes = u64Array(n, "list sizes");
        } else if (kind.equals("sprs")) {
            long n = u64("sparse list sizes count");
            if (n % 2 != 0) {
                throw format(file, at + 4, "sparse list sizes count " + n + " is odd");
            }
            long[] pairs = u64Array(n, "sparse list sizes");
            if (nlist > Integer.MAX_VALUE - 8) {
                throw unsupported(file, at, nlist + " inverted lists are more than this reader handles");
            }
            sizes = new long[(int) nlist];
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i] < 0 || pairs[i] >= nlist) {
                    throw format(file, at + 12 + 8L * i, "list number " + pairs[i] + " is not below nlist " + nlist);
                }
                sizes[(int) pairs[i]] = pairs[i + 1];
            }
        } else {
            throw format(file, at, "list sizes kind " + kind + " is neither full nor sprs");
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 0 || sizes[i] > size) {
                throw format(file, at, "inverted list " + i + " claims " + sizes[i] + " rows");
            }
        }
        return sizes;
    }

    private long[] u64Array(long n, String what) throws IOException {
        checkRemaining(n * Long.BYTES, what);
        if (n > Integer.MAX_VALUE / Long.BYTES) {
            throw unsupported(file, pos, what + ": " + n + " entries are more than this reader handles");
        }
        var buf = ByteBuffer.allocate((int) (n * Long.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            int r = channel.read(buf, pos);
            if (r < 0) {
                throw format(file, pos, "file is truncated in " + what);
            }
            pos += r;
        }
        long[] values = new long[(int) n];
        buf.flip().asLongBuffer().get(values);
        return values;
    }

    private String fourcc() throws IOException {
        long at = pos;
        readInto(4, "index type code");
        byte[] b = new byte[4];
        scratch.get(b);
        for (byte c : b) {
            if (c < 0x20 || c > 0x7e) {
                throw format(file, at, String.format("index type code %02x%02x%02x%02x is not a Faiss"
                        + " four-character code: not a Faiss index file?", b[0], b[1], b[2], b[3]));
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** The int32 at {@code offset} without moving; -1 if the file ends before it. */
    private long int32At(long offset) throws IOException {
        if (size - offset < 4) {
            return -1;
        }
        var b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                return -1;
            }
        }
        return b.flip().getInt();
    }

    private int i8() throws IOException {
        readInto(1, "byte");
        return scratch.get();
    }

    private int i32() throws IOException {
        readInto(4, "int32");
        return scratch.getInt();
    }

    private long i64() throws IOException {
        readInto(8, "int64");
        return scratch.getLong();
    }

    /** An unsigned 64-bit count; values beyond the file size are rejected at once. */
    private long u64(String what) throws IOException {
        long at = pos;
        readInto(8, what);
        long v = scratch.getLong();
        if (v < 0 || v > size) {
            throw format(file, at, what + " " + Long.toUnsignedString(v) + " is larger than the file");
        }
        return v;
    }

    private void skip(long bytes, String what) {
        checkRemaining(bytes, what);
        pos += bytes;
    }

    private void checkRemaining(long bytes, String what) {
        if (bytes < 0 || bytes > size - pos) {
            throw format(file, pos, "file is truncated: " + what + " need " + bytes + " bytes, "
                    + (size - pos) + " remain");
        }
    }

    private void readInto(int n, String what) throws IOException {
        checkRemaining(n, what);
        scratch.clear().limit(n);
        while (scratch.hasRemaining()) {
            int r = channel.read(scratch, pos + scratch.position());
            if (r < 0) {
                throw format(file, pos, "file is truncated in " + what);
            }
        }
        pos += n;
        scratch.flip();
    }
}
