package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The index file a {@link FaissSource} reads: a local file or a key in a {@link Storage} (ranged reads on object
 * stores). Every reader opens its own channel and reads with {@code position(p)} + {@code read(buf)}, so the same
 * code serves both. {@link #toString()} is {@link #name()}, the name every error message uses.
 */
sealed interface FaissFile {

    /** The file for messages: the path, or the storage's {@code describe()} joined with the key; never secrets. */
    String name();

    /** The last segment of the path or key, such as {@code vectors.index}. */
    String fileName();

    /**
     * Opens a read-only channel on the file; the caller closes it. Its {@code size()} is the file's size.
     *
     * @throws MigrationException {@code SOURCE_IO} naming the file if it is missing or cannot be opened
     */
    SeekableByteChannel open();

    static FaissFile of(Path path) {
        return new Local(path);
    }

    static FaissFile of(Storage storage, String key) {
        return new Stored(storage, key);
    }

    /**
     * Fills the remaining space of {@code buf} with the bytes at {@code offset} onwards: one {@code position} and
     * as many {@code read}s as the channel needs (one ranged request on object stores, usually).
     *
     * @return false if the channel ended first ({@code buf.position()} then tells how far it got)
     */
    static boolean readFully(SeekableByteChannel channel, long offset, ByteBuffer buf) throws IOException {
        channel.position(offset);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The {@code SOURCE_IO} error for an I/O failure while reading this file. */
    default MigrationException readError(IOException e) {
        return new MigrationException(ErrorCode.SOURCE_IO, "cannot read Faiss file " + name() + ": " + e, e);
    }

    /** A file on the local file system, read with a {@link FileChannel}. */
    record Local(Path path) implements FaissFile {
        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public String fileName() {
            Path name = path.getFileName();
            return name == null ? "" : name.toString();
        }

        @Override
        public SeekableByteChannel open() {
            try {
                return FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new MigrationException(ErrorCode.SOURCE_IO, "Faiss file " + path + " does not exist", e);
            } catch (IOException e) {
                throw new MigrationException(ErrorCode.SOURCE_IO, "cannot open Faiss file " + path + ": " + e, e);
            }
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** An object under {@code key} in a storage, read with {@link Storage#openSeekable}. */
    record Stored(Storage storage, String key) implements FaissFile {
        @Override
        public String name() {
            String where = storage.describe();
            return where.endsWith("/") ? where + key : where + "/" + key;
        }

        @Override
        public String fileName() {
            return key.substring(key.lastIndexOf('/') + 1);
        }

        @Override
        public SeekableByteChannel open() {
            try {
                return storage.openSeekable(key);
            } catch (RuntimeException e) {
                if (missing()) {
                    throw new MigrationException(ErrorCode.SOURCE_IO, "Faiss file " + name() + " does not exist", e);
                }
                throw new MigrationException(ErrorCode.SOURCE_IO, "cannot open Faiss file " + name() + ": "
                        + e.getMessage(), e);
            }
        }

        /** Whether the storage says there is no object under the key (asked only after opening failed). */
        private boolean missing() {
            try {
                return !storage.exists(key);
            } catch (RuntimeException ignored) {
                return false; // the opening error is reported instead
            }
        }

        @Override
        public String toString() {
            return name();
        }
    }
}
