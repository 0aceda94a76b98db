package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates {@link FaissSource}s for {@code faiss:/path/to/file} URIs and for {@code file:} URIs ending in
 * {@code .index} or {@code .faiss}; also for such files under any other scheme that a {@link StorageFactory} on the
 * class path serves (such as {@code s3://bucket/dir/vectors.index} with {@code migration-storage-s3}): the storage is
 * created for the parent ({@code s3://bucket/dir}, query kept), the file read as its key, and the storage closed
 * with the source. Found with {@link java.util.ServiceLoader}.
 */
public final class FaissSourceFactory implements SourceFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public FaissSourceFactory() {
    }

    @Override
    public String name() {
        return "faiss";
    }

    @Override
    public boolean supports(URI uri) {
        String scheme = uri.getScheme();
        if ("faiss".equals(scheme)) {
            return true;
        }
        if (scheme == null || !isIndexFile(uri.getPath())) {
            return false;
        }
        return "file".equals(scheme) || storageFactory(uri).isPresent();
    }

    @Override
    public Source create(URI uri) {
        if ("faiss".equals(uri.getScheme()) || "file".equals(uri.getScheme())) {
            return FaissSource.builder().file(Path.of(uri.getPath())).build();
        }
        StorageFactory factory = storageFactory(uri).orElseThrow(() -> new MigrationException(
                ErrorCode.INVALID_CONFIG, "Faiss source: no storage on the class path serves " + uri.getScheme()
                + ": URIs (add migration-storage-s3, migration-storage-gcs or migration-storage-azure for s3, gs"
                + " and azure)"));
        String path = uri.getPath();
        Storage storage = factory.create(parent(uri));
        try {
            return FaissSource.builder().ownedStorage(storage, path.substring(path.lastIndexOf('/') + 1)).build();
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static boolean isIndexFile(String path) {
        return path != null && (path.endsWith(".index") || path.endsWith(".faiss"));
    }

    /** The first storage factory that serves the parent of {@code uri}; no I/O. */
    private static Optional<StorageFactory> storageFactory(URI uri) {
        URI parent = parent(uri);
        for (StorageFactory f : ServiceLoader.load(StorageFactory.class, StorageFactory.class.getClassLoader())) {
            if (f.supports(parent)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** {@code s3://bucket/dir/a.index?q} to {@code s3://bucket/dir?q}. */
    private static URI parent(URI uri) {
        String path = uri.getRawPath();
        String authority = uri.getRawAuthority();
        return URI.create(uri.getScheme() + ":" + (authority != null ? "//" + authority : "")
                + path.substring(0, Math.max(0, path.lastIndexOf('/')))
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : ""));
    }
}
