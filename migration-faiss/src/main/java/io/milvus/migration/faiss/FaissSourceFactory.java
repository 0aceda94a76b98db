package io.milvus.migration.faiss;

import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.nio.file.Path;

/**
 * Creates {@link FaissSource}s for {@code faiss:/path/to/file} URIs and for {@code file:} URIs ending in
 * {@code .index} or {@code .faiss}. Found with {@link java.util.ServiceLoader}.
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
        String path = uri.getPath() == null ? "" : uri.getPath();
        return "faiss".equals(uri.getScheme())
                || "file".equals(uri.getScheme()) && (path.endsWith(".index") || path.endsWith(".faiss"));
    }

    @Override
    public Source create(URI uri) {
        return FaissSource.builder().file(Path.of(uri.getPath())).build();
    }
}
