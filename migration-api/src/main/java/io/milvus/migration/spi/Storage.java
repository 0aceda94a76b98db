package io.milvus.migration.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A place for files addressed by keys ({@code a/b/c.npy}, '/'-separated, no leading '/'): a local directory, a
 * bucket. Used for staging bulk files and for reading sources. Implementations are thread-safe. Every failure is a
 * {@link io.milvus.migration.MigrationException} with code {@code STORAGE_IO} naming the backend, bucket and key.
 */
public interface Storage extends AutoCloseable {

    /** A description for logs and reports, such as {@code local:/data/stage}; never contains secrets. */
    String describe();

    /**
     * The local file that holds {@code key}, when this storage is a local file system: writers then write in place
     * instead of uploading a spooled copy.
     *
     * @return the path, or empty for remote storage (the default)
     */
    default Optional<Path> localPath(String key) {
        return Optional.empty();
    }

    /**
     * Stores the bytes of a local file under {@code key}, replacing any object there. The object becomes visible
     * only complete. The local file is left in place.
     */
    void upload(String key, Path file);

    /** Stores {@code content} under {@code key}. */
    default void write(String key, byte[] content) {
        try {
            Path tmp = Files.createTempFile("migration-", ".tmp");
            try {
                Files.write(tmp, content);
                upload(key, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@code key} for streamed reading; the caller closes the stream. */
    InputStream read(String key);

    /**
     * Opens {@code key} for reads at any position (ranged reads on object stores), for formats such as Faiss whose
     * readers jump through the file. The channel is read-only and used by one thread; the caller closes it.
     */
    SeekableByteChannel openSeekable(String key);

    /** Bytes stored under {@code key}. */
    long size(String key);

    /** Whether an object exists under {@code key}. */
    boolean exists(String key);

    /** Keys that start with {@code prefix}, sorted; empty if none. */
    List<String> list(String prefix);

    /** Deletes every object whose key starts with {@code prefix}; nothing if none. */
    void deletePrefix(String prefix);

    /** Releases clients; the default does nothing. */
    @Override
    default void close() {
    }
}
