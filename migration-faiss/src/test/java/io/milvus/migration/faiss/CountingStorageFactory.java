package io.milvus.migration.faiss;

import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves {@code fxtest://bucket/local/dir} URIs with a {@link CountingStorage} over {@code /local/dir}; registered
 * in the test {@code META-INF/services}, as an object-store plug-in would be. Remembers what it created.
 */
public final class CountingStorageFactory implements StorageFactory {
    static final List<CountingStorage> CREATED = new CopyOnWriteArrayList<>();

    /** Called by {@link java.util.ServiceLoader}. */
    public CountingStorageFactory() {
    }

    @Override
    public boolean supports(URI uri) {
        return "fxtest".equals(uri.getScheme());
    }

    @Override
    public Storage create(URI uri) {
        var storage = CountingStorage.at(Path.of(uri.getPath()));
        CREATED.add(storage);
        return storage;
    }
}
