package io.milvus.migration.faiss;

import static io.milvus.migration.faiss.FaissErrors.format;
import static io.milvus.migration.faiss.FaissErrors.unsupported;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * What the float and binary header parsers share: a cursor over the file with little-endian primitives, length
 * checks against the file size, and the structures both index families write the same way (direct map, HNSW graph,
 * array inverted lists). Small reads are served from one read-ahead window of {@link #READ_AHEAD} bytes, so parsing
 * takes a handful of reads (each one a ranged request on an object store) however many fields the headers have;
 * skipped regions (codes, graphs) are never read.
 */
abstract class FaissParser {
    /** Bytes fetched at once for small reads. */
    static final int READ_AHEAD = 64 << 10;

    protected final SeekableByteChannel channel;
    protected final FaissFile file;
    protected final long size;
    protected long pos;
    /** What the headers passed so far say about how the index searches. */
    final FaissIndexFacts facts = new FaissIndexFacts();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    /** Bytes {@code [windowStart, windowStart + window.limit())} of the file. */
    private final ByteBuffer window = ByteBuffer.allocate(READ_AHEAD).limit(0);
    private long windowStart;

    protected FaissParser(SeekableByteChannel channel, FaissFile file) throws IOException {
        this.channel = channel;
        this.file = file;
        this.size = channel.size();
    }

    /** The offsets of each inverted list's codes (its int64 ids follow them) and the lists' row counts. */
    record Lists(long[] sizes, long[] offsets) {
    }

    /**
     * Fills the remaining space of {@code dst} with the bytes at {@code offset} onwards, from the read-ahead window
     * where it holds them; does not move {@link #pos}.
     *
     * @return false if the file ended first
     */
    protected boolean readAt(long offset, ByteBuffer dst) throws IOException {
        long at = offset;
        while (dst.hasRemaining()) {
            long inWindow = at - windowStart;
            if (inWindow >= 0 && inWindow < window.limit()) {
                int n = (int) Math.min(dst.remaining(), window.limit() - inWindow);
                dst.put(window.array(), (int) inWindow, n);
                at += n;
            } else if (dst.remaining() >= READ_AHEAD) {
                return FaissFile.readFully(channel, at, dst); // large: straight into dst
            } else {
                window.clear().limit((int) Math.max(0, Math.min(READ_AHEAD, size - at)));
                windowStart = at;
                FaissFile.readFully(channel, at, window);
                window.flip();
                if (window.limit() == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Reads {@code dst.remaining()} bytes at {@link #pos} and moves past them. */
    protected void readFully(ByteBuffer dst, String what) throws IOException {
        int start = dst.position();
        if (!readAt(pos, dst)) {
            throw format(file, pos + dst.position() - start, "file is truncated in " + what);
        }
        pos += dst.position() - start;
    }

    /** The int32 at {@code offset} without moving; -1 if the file ends before it. */
    protected long int32At(long offset) throws IOException {
        if (size - offset < 4) {
            return -1;
        }
        var b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        return readAt(offset, b) ? b.flip().getInt() : -1;
    }

    protected String fourcc() throws IOException {
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

    protected int i8() throws IOException {
        readInto(1, "byte");
        return scratch.get();
    }

    protected int i32() throws IOException {
        readInto(4, "int32");
        return scratch.getInt();
    }

    protected long i64() throws IOException {
        readInto(8, "int64");
        return scratch.getLong();
    }

    /** An unsigned 64-bit count; values beyond the file size are rejected at once. */
    protected long u64(String what) throws IOException {
        long at = pos;
        readInto(8, what);
        long v = scratch.getLong();
        if (v < 0 || v > size) {
            throw format(file, at, what + " " + Long.toUnsignedString(v) + " is larger than the file");
        }
        return v;
    }

    protected boolean bool(String what) throws IOException {
        long at = pos;
        int b = i8();
        if (b != 0 && b != 1) {
            throw format(file, at, what + " byte is " + b + ", not 0 or 1");
        }
        return b == 1;
    }

    protected void skip(long bytes, String what) {
        checkRemaining(bytes, what);
        pos += bytes;
    }

    protected void checkRemaining(long bytes, String what) {
        if (bytes < 0 || bytes > size - pos) {
            throw format(file, pos, "file is truncated: " + what + " need " + bytes + " bytes, "
                    + (size - pos) + " remain");
        }
    }

    /** A Faiss vector: its u64 element count, then the elements, skipped; returns the count. */
    protected long skipVector(int elementBytes, String what) throws IOException {
        long n = u64(what + " size");
        skip(n * elementBytes, what);
        return n;
    }

    protected long[] u64Array(long n, String what) throws IOException {
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

    protected float[] floats(long n, String what) throws IOException {
        checkRemaining(n * Float.BYTES, what);
        if (n > Integer.MAX_VALUE / Float.BYTES) {
            throw unsupported(file, pos, what + ": " + n + " floats are more than this reader handles");
        }
        var buf = ByteBuffer.allocate((int) (n * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(buf, what);
        float[] values = new float[(int) n];
        buf.flip().asFloatBuffer().get(values);
        return values;
    }

    /** Skips an IVF direct map: type byte, array and (type 2) hash table. */
    protected void directMap() throws IOException {
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

    /**
     * Skips an HNSW graph of {@code rows} rows: five vectors (probabilities, cumulative neighbours, levels, offsets,
     * neighbours), then five int32 (entry point, max level, efConstruction, efSearch, upper_beam).
     */
    protected void hnswGraph(long rows) throws IOException {
        skipVector(Double.BYTES, "HNSW assign_probas");
        long cumAt = pos;
        long levelsCount = u64("HNSW cum_nneighbor_per_level size");
        checkRemaining(levelsCount * Integer.BYTES, "HNSW cum_nneighbor_per_level");
        int[] cum = new int[(int) Math.min(levelsCount, 3)];
        for (int i = 0; i < cum.length; i++) {
            cum[i] = i32();
        }
        skip((levelsCount - cum.length) * Integer.BYTES, "HNSW cum_nneighbor_per_level");
        if (facts.hnswM == 0 && cum.length >= 2) {
            // level 0 holds 2M neighbours, the levels above M each: cum = [0, 2M, 3M, ...]
            facts.hnswM = cum.length >= 3 ? cum[2] - cum[1] : cum[1] / 2;
        }
        if (cum.length >= 1 && cum[0] != 0) {
            throw format(file, cumAt + 8, "HNSW cum_nneighbor_per_level starts with " + cum[0] + ", not 0");
        }
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
        skip(2L * Integer.BYTES, "HNSW entry point, max level");
        int efConstruction = i32();
        if (facts.efConstruction == 0) {
            facts.efConstruction = efConstruction;
        }
        skip(2L * Integer.BYTES, "HNSW efSearch, upper_beam");
    }

    /**
     * Array inverted lists ({@code ilar}) of an IVF index of {@code rows} rows with {@code nlist} lists whose codes
     * take {@code codeSize} bytes; the codes and ids are skipped. {@code index} names the index in messages.
     */
    protected Lists invertedLists(String index, long nlist, long rows, long codeSize) throws IOException {
        long at = pos;
        String lists = fourcc();
        if (lists.equals("il00")) {
            throw unsupported(file, at, "the " + index + " was written without inverted lists (il00)");
        }
        if (!lists.equals("ilar")) {
            throw unsupported(file, at, "inverted lists of type " + lists + " are not supported"
                    + (lists.equals("ilod") ? " (on-disk lists: merge them into the index with Faiss first)" : "")
                    + "; this reader takes array lists (ilar)");
        }
        long nlistAt = pos;
        long n = u64("nlist");
        long stored = u64("code size");
        if (n != nlist) {
            throw format(file, nlistAt, "inverted lists count " + n + " differs from the index's nlist " + nlist);
        }
        if (stored != codeSize) {
            throw format(file, nlistAt + 8, "code size " + stored + " differs from the " + codeSize
                    + " bytes a code of this index takes");
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
        if (total != rows) {
            throw format(file, at, "inverted lists hold " + total + " rows, the index header says " + rows);
        }
        return new Lists(sizes, offsets);
    }

    /** The list sizes, written in full ({@code full}) or as (list, size) pairs ({@code sprs}). */
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

    private void readInto(int n, String what) throws IOException {
        checkRemaining(n, what);
        scratch.clear().limit(n);
        readFully(scratch, what);
        scratch.flip();
    }
}
