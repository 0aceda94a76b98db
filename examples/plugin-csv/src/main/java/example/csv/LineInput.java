package example.csv;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Lines of a file from a byte offset, knowing the offset of the next unread byte (what a cursor stores). */
final class LineInput implements Closeable {
    private final InputStream in;
    private long offset;
    private byte[] line = new byte[256];

    private LineInput(Path file, long from) throws IOException {
        FileChannel channel = FileChannel.open(file);
        try {
            channel.position(from);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        this.offset = from;
    }

    static LineInput at(Path file, long from) throws IOException {
        return new LineInput(file, from);
    }

    /** From the start of the file, after a UTF-8 byte order mark if there is one. */
    static LineInput atDataStart(Path file) throws IOException {
        byte[] head = new byte[3];
        int n;
        try (InputStream probe = java.nio.file.Files.newInputStream(file)) {
            n = probe.readNBytes(head, 0, 3);
        }
        boolean bom = n == 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf;
        return new LineInput(file, bom ? 3 : 0);
    }

    /** The offset of the next byte {@link #readLine()} reads. */
    long offset() {
        return offset;
    }

    /** The next line without its line break ({@code \n} or {@code \r\n}), decoded as UTF-8; null at the end. */
    String readLine() throws IOException {
        int n = 0;
        int b;
        boolean any = false;
        while ((b = in.read()) != -1) {
            any = true;
            offset++;
            if (b == '\n') {
                break;
            }
            if (n == line.length) {
                line = Arrays.copyOf(line, n * 2);
            }
            line[n++] = (byte) b;
        }
        if (!any) {
            return null;
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return new String(line, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
