package io.milvus.migration.storage;

import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.nio.file.Path;

/** Creates {@link LocalStorage} for {@code file:} URIs. Found with {@link java.util.ServiceLoader}. */
public final class LocalStorageFactory implements StorageFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public LocalStorageFactory() {
    }

    @Override
    public boolean supports(URI uri) {
        return "file".equals(uri.getScheme());
    }

    @Override
    public Storage create(URI uri) {
        return LocalStorage.at(Path.of(uri));
    }
}
