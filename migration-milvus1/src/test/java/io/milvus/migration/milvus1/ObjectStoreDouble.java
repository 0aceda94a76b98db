package io.milvus.migration.milvus1;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A remote object store as the source sees one, over a local directory: no {@code localPath}, missing keys are
 * STORAGE_IO errors (as from S3), a channel read returns at most {@link #MAX_READ} bytes (a bounded range), and the
 * largest request for each key is recorded. {@code read} (whole-object streams) is refused for segment files.
 */
final class ObjectStoreDouble implements Storage {
    static final int MAX_READ = 13;

    private final Path root;
    /** key -> most bytes one channel read asked for. */
    final Map<String, Long> largestRead = new ConcurrentHashMap<>();
    final AtomicLong opens = new AtomicLong();

    ObjectStoreDouble(Path root) {
        this.root = root;
    }

    @Override
    public String describe() {
        return "double://bucket/base";
    }

    @Override
    public void upload(String key, Path file) {
        throw new UnsupportedOperationException("read-only double");
    }

    @Override
    public InputStream read(String key) {
        if (key.endsWith(".rv") || key.endsWith(".uid") || key.endsWith("deleted_docs")) {
            throw new AssertionError("segment file " + key + " read as a whole stream");
        }
        try {
            return Files.newInputStream(file(key));
        } catch (IOException e) {
            throw error("read", key, e);
        }
    }

    @Override
    public SeekableByteChannel openSeekable(String key) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file(key), StandardOpenOption.READ);
        } catch (IOException e) {
            throw error("read", key, e);
        }
        opens.incrementAndGet();
        return new SeekableByteChannel() {
            private long position;
            private boolean open = true;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (!open) {
                    throw new ClosedChannelException();
                }
                largestRead.merge(key, (long) dst.remaining(), Math::max);
                ByteBuffer part = dst.slice();
                part.limit(Math.min(part.limit(), MAX_READ));
                int n = ch.read(part, position);
                if (n > 0) {
                    dst.position(dst.position() + n);
                    position += n;
                }
                return n;
            }

            @Override
            public int write(ByteBuffer src) {
                throw new NonWritableChannelException();
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public SeekableByteChannel position(long p) {
                position = p;
                return this;
            }

            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public SeekableByteChannel truncate(long size) {
                throw new NonWritableChannelException();
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                open = false;
                ch.close();
            }
        };
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(file(key));
        } catch (IOException e) {
            throw error("read the size of", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(file(key));
    }

    @Override
    public List<String> list(String prefix) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw error("list", prefix, e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        throw new UnsupportedOperationException("read-only double");
    }

    private Path file(String key) {
        if (key.startsWith("/") || key.contains("..")) {
            throw new AssertionError("not a key: " + key);
        }
        return root.resolve(key);
    }

    private MigrationException error(String action, String key, Exception e) {
        return new MigrationException(ErrorCode.STORAGE_IO, "cannot " + action + " " + key + " in " + describe()
                + ": 404 Not Found", e);
    }
}
