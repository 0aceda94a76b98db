package io.milvus.migration.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only {@link SeekableByteChannel} over an object of known size that fetches byte ranges on demand and keeps
 * one read-ahead buffer of at most {@code readAhead} bytes: a read inside the buffer costs no request, a read
 * outside it (after a seek, or past its end) fetches the next range. Used by one thread.
 */
abstract class RangedReadChannel implements SeekableByteChannel {
    /** Upper bound for one fetch when the caller asks for more than the read-ahead at once. */
    static final int MAX_FETCH = 16 << 20;

    private final long size;
    private final int readAhead;
    private long position;
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private long bufferStart;
    private boolean open = true;

    RangedReadChannel(long size, int readAhead) {
        if (readAhead <= 0) {
            throw new IllegalArgumentException("readAhead must be positive: " + readAhead);
        }
        this.size = size;
        this.readAhead = readAhead;
    }

    /**
     * Fetches exactly {@code length} bytes starting at {@code offset} (both within the object).
     *
     * @throws IOException when the range cannot be read
     */
    protected abstract byte[] fetch(long offset, int length) throws IOException;

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        long inBuffer = position - bufferStart;
        if (inBuffer < 0 || inBuffer >= buffer.limit()) {
            int want = (int) Math.min(size - position, Math.max(readAhead, Math.min(dst.remaining(), MAX_FETCH)));
            byte[] bytes = fetch(position, want);
            if (bytes.length != want) {
                throw new IOException("expected " + want + " bytes at offset " + position + ", got " + bytes.length);
            }
            buffer = ByteBuffer.wrap(bytes);
            bufferStart = position;
            inBuffer = 0;
        }
        int n = (int) Math.min(dst.remaining(), buffer.limit() - inBuffer);
        dst.put(buffer.array(), (int) inBuffer, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        buffer = ByteBuffer.allocate(0);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
