package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A test double for a remote object store over a local directory: no {@code localPath}, and every {@code read} on a
 * channel from {@link #openSeekable} counts as one range request, returning at most {@link #MAX_READ} bytes (as an
 * HTTP range read of a bounded size would). Objects can be served truncated ({@link #truncate}).
 */
final class CountingStorage implements Storage {
    /** Most bytes one channel {@code read} returns. */
    static final int MAX_READ = 1 << 20;

    private final Path root;
    private final String description;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong opens = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, Long> truncated = new ConcurrentHashMap<>();

    CountingStorage(Path root, String description) {
        this.root = root;
        this.description = description;
    }

    /** Storage over {@code root} describing itself as {@code fxtest://bucket<root>}. */
    static CountingStorage at(Path root) {
        return new CountingStorage(root, "fxtest://bucket" + root.toAbsolutePath());
    }

    /** Serves only the first {@code bytes} bytes of {@code key} from now on (size and reads). */
    CountingStorage truncate(String key, long bytes) {
        truncated.put(key, bytes);
        return this;
    }

    /** Channel reads (range requests) so far. */
    long reads() {
        return reads.get();
    }

    /** Channels opened so far. */
    long opens() {
        return opens.get();
    }

    boolean closed() {
        return closed.get();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void upload(String key, Path file) {
        try {
            Files.createDirectories(root.resolve(key).getParent());
            Files.copy(file, root.resolve(key), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw error(key, e);
        }
    }

    @Override
    public InputStream read(String key) {
        try {
            return Files.newInputStream(root.resolve(key));
        } catch (IOException e) {
            throw error(key, e);
        }
    }

    @Override
    public SeekableByteChannel openSeekable(String key) {
        try {
            FileChannel file = FileChannel.open(root.resolve(key), StandardOpenOption.READ);
            opens.incrementAndGet();
            return new Counted(file, Math.min(file.size(), truncated.getOrDefault(key, Long.MAX_VALUE)));
        } catch (IOException e) {
            throw error(key, e);
        }
    }

    @Override
    public long size(String key) {
        try {
            return Math.min(Files.size(root.resolve(key)), truncated.getOrDefault(key, Long.MAX_VALUE));
        } catch (IOException e) {
            throw error(key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(root.resolve(key));
    }

    @Override
    public List<String> list(String prefix) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        for (String key : list(prefix)) {
            try {
                Files.deleteIfExists(root.resolve(key));
            } catch (IOException e) {
                throw error(key, e);
            }
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }

    private MigrationException error(String key, IOException e) {
        String what = e instanceof NoSuchFileException ? "no object " : "cannot access ";
        return new MigrationException(ErrorCode.STORAGE_IO, what + key + " in " + description + ": " + e, e);
    }

    /** A read-only channel of a given size whose every read is counted. */
    private final class Counted implements SeekableByteChannel {
        private final FileChannel file;
        private final long size;
        private long position;

        Counted(FileChannel file, long size) {
            this.file = file;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!file.isOpen()) {
                throw new ClosedChannelException();
            }
            reads.incrementAndGet();
            if (position >= size) {
                return -1;
            }
            int want = (int) Math.min(Math.min(dst.remaining(), MAX_READ), size - position);
            ByteBuffer part = dst.slice().limit(want);
            int n = file.read(part, position);
            if (n < 0) {
                return -1;
            }
            dst.position(dst.position() + n);
            position += n;
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
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
