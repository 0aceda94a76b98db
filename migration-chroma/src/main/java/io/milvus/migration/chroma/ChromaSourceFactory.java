package io.milvus.migration.chroma;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.DataType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Creates {@link ChromaSource}s for {@code chroma://host:port[/tenant[/database[/collection]]]} ({@code chromas://}
 * for HTTPS). Tenant and database default to Chroma's {@code default_tenant} and {@code default_database}; without a
 * collection every collection of the database is read. A token is never taken from a URI: use
 * {@link ChromaSource.Builder#token(String)}, or {@link ChromaSettings#tokenEnv} in YAML. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class ChromaSourceFactory implements ConfigurableSourceFactory<ChromaSettings> {
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

    @Override
    public Class<ChromaSettings> settingsType() {
        return ChromaSettings.class;
    }

    @Override
    public void validate(ChromaSettings s) {
        builder(s, false);
    }

    @Override
    public Source create(ChromaSettings s) {
        return builder(s, true).build();
    }

    private static ChromaSource.Builder builder(ChromaSettings s, boolean withToken) {
        URI url;
        try {
            url = URI.create(require(s.url, "url"));
        } catch (IllegalArgumentException e) {
            throw bad("url", "is not a URI: " + s.url);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw bad("url", "must be http(s)://host:port, not " + s.url);
        }
        if (s.partRows < 1) {
            throw bad("partRows", "must be positive: " + s.partRows);
        }
        if (s.requestTimeoutSeconds < 1) {
            throw bad("requestTimeoutSeconds", "must be positive: " + s.requestTimeoutSeconds);
        }
        var b = ChromaSource.builder().url(url).tenant(require(s.tenant, "tenant"))
                .database(require(s.database, "database")).collections(s.collections == null ? List.of()
                        : s.collections).tokenHeader(require(s.tokenHeader, "tokenHeader")).partRows(s.partRows)
                .requestTimeout(Duration.ofSeconds(s.requestTimeoutSeconds));
        try {
            b.metadata(ChromaSource.MetadataMapping.valueOf(require(s.metadata, "metadata")
                    .toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw bad("metadata", "is fields_where_uniform or dynamic, not " + s.metadata);
        }
        if (s.metadataFields != null) {
            s.metadataFields.forEach((key, type) -> {
                try {
                    b.metadataField(key, DataType.valueOf(String.valueOf(type).toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw bad("metadataFields." + key, "is not a scalar type: " + type);
                }
            });
        }
        if (s.tokenEnv != null && withToken) {
            String token = System.getenv(s.tokenEnv);
            if (token == null) {
                throw bad("tokenEnv", "names " + s.tokenEnv + ", which is not set");
            }
            b.token(token);
        }
        return b;
    }

    private static String require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw bad(key, "is missing");
        }
        return value;
    }

    private static MigrationException bad(String key, String what) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "source.chroma." + key + " " + what);
    }
}
