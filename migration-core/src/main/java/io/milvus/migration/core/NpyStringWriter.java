package io.milvus.migration.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one NumPy {@code .npy} file of fixed-width unicode strings ({@code <U n}, UTF-32LE, n code points per row,
 * shorter ones padded with zeros), as Milvus's NumPy import reads VarChar and JSON fields. The width is the longest
 * string's, known only at the end, so strings are spilled to a side file as they come and laid out at
 * {@link #close()}.
 */
final class NpyStringWriter implements AutoCloseable {
    private static final int HEADER_BYTES = 128;

    private final Path file;
    private final Path spill;
    private final DataOutputStream out;
    private long rows;
    private int width;

    NpyStringWriter(Path file) throws IOException {
        this.file = file;
        this.spill = file.resolveSibling(file.getFileName() + ".strings");
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spill), 1 << 16));
    }

    /** Code points of {@code s}: its width in the file. */
    static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    int width() {
        return width;
    }

    long rows() {
        return rows;
    }

    /** Bytes the file has with {@code rowCount} rows {@code stringWidth} code points wide. */
    static long bytes(long rowCount, int stringWidth) {
        return HEADER_BYTES + rowCount * 4L * Math.max(1, stringWidth);
    }

    /** Bytes the file will have after the rows written so far. */
    long bytes() {
        return bytes(rows, width);
    }

    void write(String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
        width = Math.max(width, width(s));
        rows++;
    }

    @Override
    public void close() throws IOException {
        out.close();
        int w = Math.max(1, width);
        try (OutputStream npy = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
             var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spill), 1 << 16))) {
            npy.write(header(w));
            ByteBuffer row = ByteBuffer.allocate(4 * w).order(ByteOrder.LITTLE_ENDIAN);
            for (long r = 0; r < rows; r++) {
                byte[] utf8 = new byte[in.readInt()];
                in.readFully(utf8);
                row.clear();
                new String(utf8, StandardCharsets.UTF_8).codePoints().forEach(row::putInt);
                while (row.hasRemaining()) {
                    row.putInt(0);
                }
                npy.write(row.array());
            }
        } finally {
            Files.deleteIfExists(spill);
        }
    }

    /** Removes the side file (after a failure). Never throws. */
    void discard() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file goes anyway
        }
        try {
            Files.deleteIfExists(spill);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private byte[] header(int w) {
        String dict = "{'descr': '<U" + w + "', 'fortran_order': False, 'shape': (" + rows + ",), }";
        int dictBytes = HEADER_BYTES - 10;
        var text = new StringBuilder(dict);
        while (text.length() < dictBytes - 1) {
            text.append(' ');
        }
        text.append('\n');
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) dictBytes)
                .put(text.toString().getBytes(StandardCharsets.US_ASCII));
        return h.array();
    }
}
