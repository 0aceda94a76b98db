package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.RemoteStorages;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
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
 * with the source. From YAML, a {@link FaissSettings} ({@code source.faiss}; errors name its keys as
 * {@code source.faiss.<key>}). Found with {@link java.util.ServiceLoader}.
 */
public final class FaissSourceFactory implements ConfigurableSourceFactory<FaissSettings> {
    private static final String AT = "source.faiss.";
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

    @Override
    public Class<FaissSettings> settingsType() {
        return FaissSettings.class;
    }

    @Override
    public void validate(FaissSettings s) {
        if (s.file == null || s.file.isBlank()) {
            throw bad("file", "is missing");
        }
        if (s.dim != null && s.dim < 1) {
            throw bad("dim", "must be at least 1, found " + s.dim);
        }
        metric(s);
        if (s.remote != null) {
            RemoteStorages.validate(s.remote, AT + "remote");
        }
    }

    /**
     * Opens the file (through the remote storage module that serves {@link FaissSettings#remote}) and checks
     * {@code dim} and {@code metricType} against it.
     */
    @Override
    public Source create(FaissSettings s) {
        validate(s);
        MetricType metric = metric(s);
        FaissSource.Builder builder = FaissSource.builder();
        Storage storage = null;
        if (s.remote != null) {
            storage = RemoteStorages.create(s.remote, AT + "remote");
            builder.ownedStorage(storage, s.file.replaceFirst("^/+", ""));
        } else {
            builder.file(Path.of(s.file));
        }
        // Binary files carry no metric Milvus can use (HAMMING unless JACCARD is asked for); COSINE is not a
        // Faiss metric, so it is the user's choice for float vectors. L2 and IP are checked against the file.
        if (metric == MetricType.HAMMING || metric == MetricType.JACCARD) {
            builder.binaryMetric(metric);
        } else if (metric == MetricType.COSINE) {
            builder.metric(metric);
        }
        FaissSource source;
        try {
            source = builder.build();
        } catch (RuntimeException e) {
            if (storage != null) {
                storage.close();
            }
            throw e;
        }
        try {
            check(s, metric, source);
            return source;
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private static void check(FaissSettings s, MetricType metric, FaissSource source) {
        String file = s.file;
        FieldSchema vector = source.collections().get(0).schema().fields().get(1);
        if (s.dim != null && s.dim != vector.dimension()) {
            throw bad("dim", "is " + s.dim + " but Faiss file " + file + " holds vectors of dimension "
                    + vector.dimension());
        }
        boolean binary = vector.type() == DataType.BINARY_VECTOR;
        if (metric != null && binary && metric != MetricType.HAMMING && metric != MetricType.JACCARD) {
            throw bad("metricType", "is " + metric + " but Faiss file " + file + " holds a binary index"
                    + " (" + source.indexType() + "); use HAMMING or JACCARD");
        }
        if (metric != null && !binary && (metric == MetricType.HAMMING || metric == MetricType.JACCARD)) {
            throw bad("metricType", "is " + metric + ", a metric of binary vectors, but Faiss file " + file
                    + " holds float vectors (" + source.indexType() + ", " + vector.metric() + "); use "
                    + vector.metric() + " or COSINE");
        }
        if (metric != null && metric != vector.metric()) {
            throw bad("metricType", "is " + metric + " but Faiss file " + file + " uses " + vector.metric()
                    + " (COSINE may be chosen for any float index)");
        }
    }

    private static MetricType metric(FaissSettings s) {
        if (s.metricType == null) {
            return null;
        }
        for (String m : new String[] {"L2", "IP", "COSINE", "HAMMING", "JACCARD"}) {
            if (m.equalsIgnoreCase(s.metricType.trim())) {
                return MetricType.valueOf(m);
            }
        }
        throw bad("metricType", "must be one of [L2, IP, COSINE, HAMMING, JACCARD], found '" + s.metricType + "'");
    }

    private static MigrationException bad(String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, AT + key + " " + problem);
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
