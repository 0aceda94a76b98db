package io.milvus.migration.milvus2;

import io.milvus.migration.spi.Storage;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Real staging storage whose uploads call a hook first, on the uploading thread: to stop the server at the moment
 * an upload starts. Everything else, and the upload itself, is the storage's own.
 */
final class HookedStorage implements Storage {
    /** Called before each upload. */
    interface Hook {
        void beforeUpload(String key) throws Exception;
    }

    private final Storage storage;
    private volatile Hook hook;

    HookedStorage(Storage storage, Hook hook) {
        this.storage = storage;
        this.hook = hook;
    }

    /** Replaces the hook (null: none). */
    void hook(Hook h) {
        this.hook = h;
    }

    @Override
    public String describe() {
        return storage.describe();
    }

    @Override
    public Optional<Path> localPath(String key) {
        return storage.localPath(key);
    }

    @Override
    public void upload(String key, Path file) {
        Hook h = hook;
        if (h != null) {
            try {
                h.beforeUpload(key);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("upload hook failed", e);
            }
        }
        storage.upload(key, file);
    }

    @Override
    public void write(String key, byte[] content) {
        storage.write(key, content);
    }

    @Override
    public InputStream read(String key) {
        return storage.read(key);
    }

    @Override
    public SeekableByteChannel openSeekable(String key) {
        return storage.openSeekable(key);
    }

    @Override
    public long size(String key) {
        return storage.size(key);
    }

    @Override
    public boolean exists(String key) {
        return storage.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
        return storage.list(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
        storage.deletePrefix(prefix);
    }
}
