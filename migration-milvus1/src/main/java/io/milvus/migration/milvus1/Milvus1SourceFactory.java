package io.milvus.migration.milvus1;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.nio.file.Path;

/**
 * Creates {@link Milvus1Source}s for {@code milvus1:} URIs: {@code milvus1:/var/lib/milvus} (a data directory),
 * {@code milvus1:/x/db/meta.sqlite} (a SQLite catalogue, segments in {@code tables/} next to it) or
 * {@code milvus1:/x/meta.json} (the old tool's meta, segments in {@code tables/} next to it). Found with
 * {@link java.util.ServiceLoader}.
 */
public final class Milvus1SourceFactory implements SourceFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public Milvus1SourceFactory() {
    }

    @Override
    public String name() {
        return "milvus1";
    }

    @Override
    public boolean supports(URI uri) {
        return "milvus1".equals(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source URI " + uri
                    + " names no path; use milvus1:/path/to/milvus-data");
        }
        Path p = Path.of(path);
        if (path.endsWith(".json")) {
            return Milvus1Source.builder().jsonMeta(p).build();
        }
        if (path.endsWith(".sqlite")) {
            return Milvus1Source.builder().sqliteMeta(p).build();
        }
        return Milvus1Source.builder().directory(p).build();
    }
}
