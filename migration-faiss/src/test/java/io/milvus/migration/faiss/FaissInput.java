package io.milvus.migration.faiss;

import io.milvus.migration.spi.Storage;
import io.milvus.migration.storage.LocalStorage;
import java.nio.file.Path;

/**
 * The ways a test hands an index file to {@link FaissSource}; every way must give the same rows and the same errors
 * (naming the path, or the storage's description and the key).
 */
enum FaissInput {
    /** {@code file(path)}. */
    FILE,
    /** {@code storage(LocalStorage.at(dir), name)}. */
    LOCAL_STORAGE,
    /** {@code storage(CountingStorage.at(dir), name)}: no local path, counted range reads of at most 1 MiB. */
    REMOTE;

    /** A builder reading {@code file} this way. */
    FaissSource.Builder builder(Path file) {
        FaissSource.Builder b = FaissSource.builder();
        return this == FILE ? b.file(file) : b.storage(storage(file), key(file));
    }

    /** The name errors give the file when read this way. */
    String name(Path file) {
        return this == FILE ? file.toString() : storage(file).describe() + "/" + key(file);
    }

    private Storage storage(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return this == LOCAL_STORAGE ? LocalStorage.at(dir) : CountingStorage.at(dir);
    }

    private static String key(Path file) {
        return file.getFileName().toString();
    }
}
