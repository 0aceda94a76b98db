package io.milvus.migration.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one NumPy {@code .npy} file (format 1.0) of a little-endian array with shape {@code (rows,)} or
 * {@code (rows, width)}. The row count is unknown until {@link #close()}, so the header is written with room for any
 * count and rewritten at the end.
 */
final class NpyWriter implements AutoCloseable {
    /** Magic, version, header length and a header padded to this total size (a multiple of 64, as numpy does). */
    private static final int HEADER_BYTES = 128;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private final FileChannel channel;
    private final String descr;
    private final int width;
    private final int bytesPerRow;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long rows;

    /**
     * @param descr       numpy dtype string, such as {@code <f4}
     * @param width       elements per row for a 2-D array, 0 for 1-D
     * @param bytesPerRow bytes of one row
     */
    NpyWriter(Path file, String descr, int width, int bytesPerRow) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        this.descr = descr;
        this.width = width;
        this.bytesPerRow = bytesPerRow;
        channel.write(header(0));
    }

    long rows() {
        return rows;
    }

    /** Bytes the file will have after the rows written so far. */
    long bytes() {
        return HEADER_BYTES + rows * bytesPerRow;
    }

    void writeLongs(long[] values) throws IOException {
        int i = 0;
        while (i < values.length) {
            int n = Math.min(values.length - i, buffer.remaining() / Long.BYTES);
            buffer.asLongBuffer().put(values, i, n);
            buffer.position(buffer.position() + n * Long.BYTES);
            i += n;
            flushIfFull(Long.BYTES);
        }
        rows += width == 0 ? values.length : values.length / width;
    }

    void writeFloats(float[] values) throws IOException {
        int i = 0;
        while (i < values.length) {
            int n = Math.min(values.length - i, buffer.remaining() / Float.BYTES);
            buffer.asFloatBuffer().put(values, i, n);
            buffer.position(buffer.position() + n * Float.BYTES);
            i += n;
            flushIfFull(Float.BYTES);
        }
        rows += values.length / width;
    }

    void writeBytes(byte[] values) throws IOException {
        int i = 0;
        while (i < values.length) {
            int n = Math.min(values.length - i, buffer.remaining());
            buffer.put(values, i, n);
            i += n;
            flushIfFull(1);
        }
        rows += values.length / width;
    }

    /** Appends booleans as numpy {@code |b1} (one byte, 0 or 1). */
    void writeBools(io.milvus.migration.spi.Column.Bools c) throws IOException {
        for (int r = 0; r < c.rowCount(); r++) {
            flushIfFull(1);
            buffer.put((byte) (c.get(r) ? 1 : 0));
        }
        rows += c.rowCount();
    }

    /** Appends ints as {@code bytes}-wide little-endian integers ({@code |i1}, {@code <i2}, {@code <i4}). */
    void writeInts(io.milvus.migration.spi.Column.Ints c, int bytes) throws IOException {
        for (int r = 0; r < c.rowCount(); r++) {
            flushIfFull(bytes);
            int v = c.get(r);
            switch (bytes) {
                case 1 -> buffer.put((byte) v);
                case 2 -> buffer.putShort((short) v);
                default -> buffer.putInt(v);
            }
        }
        rows += c.rowCount();
    }

    /** Appends scalar floats ({@code <f4}). */
    void writeFloats(io.milvus.migration.spi.Column.Floats c) throws IOException {
        for (int r = 0; r < c.rowCount(); r++) {
            flushIfFull(Float.BYTES);
            buffer.putFloat(c.get(r));
        }
        rows += c.rowCount();
    }

    /** Appends scalar doubles ({@code <f8}). */
    void writeDoubles(io.milvus.migration.spi.Column.Doubles c) throws IOException {
        for (int r = 0; r < c.rowCount(); r++) {
            flushIfFull(Double.BYTES);
            buffer.putDouble(c.get(r));
        }
        rows += c.rowCount();
    }

    /** Appends vectors that lie in the source as this file holds them, channel to channel (no copy in Java). */
    void writeStored(io.milvus.migration.spi.Column.StoredVectors vectors) throws IOException {
        flush();
        vectors.transferTo(channel);
        rows += vectors.rowCount();
    }

    private void flushIfFull(int elementBytes) throws IOException {
        if (buffer.remaining() < elementBytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            flush();
            channel.write(header(rows), 0);
        }
    }

    private ByteBuffer header(long rowCount) {
        String shape = width == 0 ? "(" + rowCount + ",)" : "(" + rowCount + ", " + width + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int dictBytes = HEADER_BYTES - MAGIC.length - 2;
        var text = new StringBuilder(dict);
        while (text.length() < dictBytes - 1) {
            text.append(' ');
        }
        text.append('\n');
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putShort((short) dictBytes).put(text.toString().getBytes(StandardCharsets.US_ASCII));
        return header.flip();
    }
}
