package io.milvus.migration.chroma;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import java.net.URI;
import java.util.List;

/**
 * Creates {@link ChromaSource}s for {@code chroma://host:port[/tenant[/database[/collection]]]} ({@code chromas://}
 * for HTTPS). Tenant and database default to Chroma's {@code default_tenant} and {@code default_database}; without a
 * collection every collection of the database is read. A token is never taken from a URI: use
 * {@link ChromaSource.Builder#token(String)}. Found with {@link java.util.ServiceLoader}.
 */
public final class ChromaSourceFactory implements SourceFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public ChromaSourceFactory() {
    }

    @Override
    public String name() {
        return "chroma";
    }

    @Override
    public boolean supports(URI uri) {
        return "chroma".equals(uri.getScheme()) || "chromas".equals(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        if (uri.getHost() == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Chroma source URI " + uri
                    + " names no host; use chroma://host:port/tenant/database/collection");
        }
        if (uri.getUserInfo() != null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Chroma source URI for host " + uri.getHost()
                    + " carries user information; give a token with ChromaSource.builder().token(...)");
        }
        String scheme = "chromas".equals(uri.getScheme()) ? "https" : "http";
        int port = uri.getPort() < 0 ? 8000 : uri.getPort();
        var b = ChromaSource.builder().url(URI.create(scheme + "://" + uri.getHost() + ":" + port));
        String path = uri.getPath() == null ? "" : uri.getPath();
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        if (parts.length > 3) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Chroma source URI " + uri
                    + " has more than tenant/database/collection in its path");
        }
        if (parts.length >= 1 && !parts[0].isEmpty()) {
            b.tenant(parts[0]);
        }
        if (parts.length >= 2) {
            b.database(parts[1]);
        }
        if (parts.length == 3) {
            b.collections(List.of(parts[2]));
        }
        return b.build();
    }
}
