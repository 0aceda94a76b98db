package io.milvus.migration.milvus1;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the {@code <table_id>/<segment_id>/} directories of a Milvus 1.x data directory are: a local directory
 * ({@link #local}) or a key prefix in a {@link Storage} ({@link #storage}: S3, GCS, Azure, ...). The segment readers
 * see only {@link File}s, so both are read by the same code.
 */
interface SegmentStore {
    /** The tables location for messages: a path, or the storage's description and the key prefix; no secrets. */
    String describe();

    /** The segment directory {@code <table_id>/<segment_id>/} for messages. */
    String dir(String tableId, String segment);

    /** The file {@code name} of segment {@code segment} of table {@code tableId}. */
    File file(String tableId, String segment, String name);

    /** Segment directories under a local directory. */
    static SegmentStore local(Path tablesDir) {
        requireNonNull(tablesDir, "tablesDir is null");
        return new SegmentStore() {
            @Override
            public String describe() {
                return tablesDir.toString();
            }

            @Override
            public String dir(String tableId, String segment) {
                return tablesDir.resolve(tableId).resolve(segment).toString();
            }

            @Override
            public File file(String tableId, String segment, String name) {
                return new LocalFile(tablesDir.resolve(tableId).resolve(segment).resolve(name));
            }
        };
    }

    /**
     * Segment directories under {@code prefix} in {@code storage}: file {@code f} of segment {@code s} of table
     * {@code t} is the key {@code <prefix>/<t>/<s>/<f>} (no leading '/'; {@code prefix} may be empty).
     */
    static SegmentStore storage(Storage storage, String prefix) {
        requireNonNull(storage, "storage is null");
        String base = prefix.isEmpty() ? "" : prefix + "/";
        return new SegmentStore() {
            @Override
            public String describe() {
                return storage.describe() + " key prefix '" + prefix + "'";
            }

            @Override
            public String dir(String tableId, String segment) {
                return storage.describe() + " key " + base + tableId + "/" + segment + "/";
            }

            @Override
            public File file(String tableId, String segment, String name) {
                return new StorageFile(storage, base + tableId + "/" + segment + "/" + name);
            }
        };
    }

    /** One segment file, read through a seekable channel. Its {@code toString()} names it for messages. */
    interface File {
        /** The file name, such as {@code 77.rv}. */
        String name();

        /**
         * Whether the file is there.
         *
         * @throws IOException if that cannot be found out
         */
        boolean exists() throws IOException;

        /**
         * Opens the file for positional reads; the channel's {@code size()} is the file's size.
         *
         * @throws NoSuchFileException if the file is not there
         * @throws IOException         if it cannot be opened
         */
        SeekableByteChannel open() throws IOException;
    }

    /** A file on the local file system. */
    record LocalFile(Path path) implements File {
        @Override
        public String name() {
            return path.getFileName().toString();
        }

        @Override
        public boolean exists() {
            return Files.exists(path);
        }

        @Override
        public SeekableByteChannel open() throws IOException {
            return FileChannel.open(path, StandardOpenOption.READ);
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** An object of a {@link Storage}; its errors (STORAGE_IO) become {@link IOException}s here. */
    record StorageFile(Storage storage, String key) implements File {
        @Override
        public String name() {
            return key.substring(key.lastIndexOf('/') + 1);
        }

        @Override
        public boolean exists() throws IOException {
            try {
                return storage.exists(key);
            } catch (MigrationException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public SeekableByteChannel open() throws IOException {
            SeekableByteChannel ch;
            try {
                ch = storage.openSeekable(key);
            } catch (MigrationException e) {
                if (!exists()) {
                    throw new NoSuchFileException(toString());
                }
                throw new IOException(e.getMessage(), e);
            }
            return new IoChannel(ch);
        }

        @Override
        public String toString() {
            return storage.describe() + " key " + key;
        }
    }

    /** A read-only channel whose unchecked storage errors are {@link IOException}s. */
    final class IoChannel implements SeekableByteChannel {
        private final SeekableByteChannel in;

        IoChannel(SeekableByteChannel in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            try {
                return in.read(dst);
            } catch (MigrationException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            return in.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            in.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            try {
                return in.size();
            } catch (MigrationException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
