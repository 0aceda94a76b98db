package io.milvus.migration.faiss;

import static io.milvus.migration.faiss.FaissErrors.format;
import static io.milvus.migration.faiss.FaissErrors.unsupported;

import io.milvus.migration.spi.MetricType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Parses the headers of a Faiss index file (the layout {@code faiss/impl/index_write.cpp} writes, little-endian)
 * into a {@link FaissLayout}. Reads headers only; every length is checked against the file size before anything is
 * allocated, so a corrupt length field fails at once instead of exhausting memory.
 */
final class FaissLayoutParser {
    /** Index types whose raw vectors this reader recovers. */
    static final String SUPPORTED = "IxF2, IxFI, IxFl (IndexFlat), IwFl (IndexIVFFlat), IxMp, IxM2 (IndexIDMap/2)";

    private static final int METRIC_INNER_PRODUCT = 0;
    private static final int METRIC_L2 = 1;
    private static final int MAX_DIMENSION = 1 << 20;

    private final FileChannel channel;
    private final Path file;
    private final long size;
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private long pos;

    private FaissLayoutParser(FileChannel channel, Path file) throws IOException {
        this.channel = channel;
        this.file = file;
        this.size = channel.size();
    }

    static FaissLayout parse(FileChannel channel, Path file) throws IOException {
        var parser = new FaissLayoutParser(channel, file);
        FaissLayout layout = parser.index(true);
        if (parser.pos != parser.size) {
            throw format(file, parser.pos, "index ends here but the file has " + (parser.size - parser.pos)
                    + " more bytes");
        }
        return layout;
    }

    /** Reads one index; {@code outer} is false for indexes nested in another (IVF quantizer, ID-map inner index). */
    private FaissLayout index(boolean outer) throws IOException {
        long at = pos;
        String type = fourcc();
        switch (type) {
            case "IxF2", "IxFI", "IxFl" -> {
                Header h = header();
                long at2 = pos;
                long floats = u64("vector size");
                if (floats != h.rows * h.dimension) {
                    throw format(file, at2, "Flat index holds " + floats + " floats, expected rows " + h.rows
                            + " × dimension " + h.dimension);
                }
                long offset = pos;
                skip(floats * Float.BYTES, "Flat vectors");
                return new FaissLayout(h.dimension, h.rows, h.metric, type, offset, new long[0], new long[0], -1);
            }
            case "IwFl" -> {
                Header h = header();
                long nlistAt = pos;
                long nlist = u64("nlist");
                u64("nprobe");
                FaissLayout quantizer = index(false);
                if (quantizer.dimension() != h.dimension || quantizer.rows() != nlist) {
                    throw format(file, nlistAt, "IVF index of dimension " + h.dimension + " with " + nlist
                            + " lists has a quantizer of dimension " + quantizer.dimension() + " with "
                            + quantizer.rows() + " centroids");
                }
                directMap();
                return invertedLists(h, type, nlist);
            }
            case "IxMp", "IxM2" -> {
                Header h = header();
                FaissLayout inner = index(false);
                long idsAt = pos;
                long count = u64("id map size");
                if (count != h.rows || inner.rows() != h.rows) {
                    throw format(file, idsAt, "ID map holds " + count + " ids for an index of " + h.rows
                            + " rows whose inner index has " + inner.rows());
                }
                if (inner.idMapOffset() >= 0) {
                    throw unsupported(file, at, "an ID map around another ID map");
                }
                long offset = pos;
                skip(count * Long.BYTES, "ID map ids");
                return new FaissLayout(inner.dimension(), h.rows, inner.metric(), type, inner.flatOffset(),
                        inner.listSizes(), inner.listOffsets(), offset);
            }
            default -> {
                if (!looksLikeFaissIndex(type)) {
                    throw format(file, at, "\"" + type + "\" followed by dimension " + dimensionAt(pos)
                            + " is not the start of a Faiss index: not a Faiss index file?");
                }
                throw unsupported(file, at, "index type " + type + " is not supported"
                        + (outer ? "" : " inside another index") + "; this reader recovers vectors from "
                        + SUPPORTED);
            }
        }
    }

    /**
     * Whether an unknown four-character code is plausibly a Faiss index type (every Faiss index code starts with
     * {@code I} and is followed by the dimension), so that other files are format errors rather than unsupported.
     */
    private boolean looksLikeFaissIndex(String type) throws IOException {
        long d = dimensionAt(pos);
        return type.charAt(0) == 'I' && d > 0 && d <= MAX_DIMENSION;
    }

    /** The int32 at {@code offset} without moving; -1 if the file ends before it. */
    private long dimensionAt(long offset) throws IOException {
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

    private record Header(int dimension, long rows, MetricType metric) {
    }

    private Header header() throws IOException {
        long at = pos;
        int d = i32();
        long rows = i64();
        i64();
        i64();
        i8();
        long metricAt = pos;
        int metric = i32();
        if (metric > 1) {
            i32(); // metric_arg (float)
        }
        if (d <= 0 || d > MAX_DIMENSION) {
            throw format(file, at, "dimension " + d + " is out of range 1.." + MAX_DIMENSION);
        }
        if (rows < 0) {
            throw format(file, at + 4, "row count " + rows + " is negative");
        }
        if (rows > (size - pos) / (d * (long) Float.BYTES)) {
            throw format(file, at + 4, "row count " + rows + " of dimension " + d + " cannot fit the "
                    + (size - pos) + " bytes left in the file");
        }
        MetricType mt = switch (metric) {
            case METRIC_INNER_PRODUCT -> MetricType.IP;
            case METRIC_L2 -> MetricType.L2;
            default -> throw unsupported(file, metricAt, "Faiss metric type " + metric
                    + " has no Milvus counterpart (Milvus takes L2 and IP here)");
        };
        return new Header(d, rows, mt);
    }

    private void directMap() throws IOException {
        long at = pos;
        int type = i8();
        long n = u64("direct map size");
        skip(n * Long.BYTES, "direct map array");
        if (type == 2) {
            long pairs = u64("direct map hashtable size");
            skip(pairs * 2 * Long.BYTES, "direct map hashtable");
        } else if (type != 0 && type != 1) {
            throw format(file, at, "direct map type " + type + " is not 0, 1 or 2");
        }
    }

    private FaissLayout invertedLists(Header h, String type, long nlist) throws IOException {
        long at = pos;
        String lists = fourcc();
        if (lists.equals("il00")) {
            throw unsupported(file, at, "the IVF index was written without inverted lists (il00)");
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
        if (codeSize != h.dimension * 4L) {
            throw format(file, nlistAt + 8, "code size " + codeSize + " is not dimension " + h.dimension + " × 4");
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
        return new FaissLayout(h.dimension, h.rows, h.metric, type, -1, sizes, offsets, -1);
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
        readFully(buf, what);
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

    /** An unsigned 64-bit count; values that cannot fit the file are rejected by the caller's size checks. */
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
        readFully(scratch, what);
        scratch.flip();
    }

    private void readFully(ByteBuffer buf, String what) throws IOException {
        while (buf.hasRemaining()) {
            int r = channel.read(buf, pos);
            if (r < 0) {
                throw format(file, pos, "file is truncated in " + what);
            }
            pos += r;
        }
    }
}
