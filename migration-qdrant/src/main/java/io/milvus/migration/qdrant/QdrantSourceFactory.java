package io.milvus.migration.qdrant;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.Source;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Creates {@link QdrantSource}s for {@code qdrant://host:port[/collection]} ({@code qdrants://} for TLS; the port is
 * the gRPC one, 6334 by default); without a collection every collection of the server is read. An API key is never
 * taken from a URI: use {@link QdrantSource.Builder#apiKey(String)}, or {@link QdrantSettings#apiKeyEnv} in YAML.
 * Found with {@link java.util.ServiceLoader}; configured from YAML as {@code source.qdrant}.
 */
public final class QdrantSourceFactory implements ConfigurableSourceFactory<QdrantSettings> {
    /** Called by {@link java.util.ServiceLoader}. */
    public QdrantSourceFactory() {
    }

    @Override
    public String name() {
        return "qdrant";
    }

    @Override
    public boolean supports(URI uri) {
        return "qdrant".equals(uri.getScheme()) || "qdrants".equals(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        if (uri.getHost() == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Qdrant source URI " + uri
                    + " names no host; use qdrant://host:port/collection");
        }
        if (uri.getRawUserInfo() != null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Qdrant source URI for host " + uri.getHost()
                    + " carries user information; give an API key with QdrantSource.builder().apiKey(...)");
        }
        if (uri.getRawQuery() != null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Qdrant source URI for host " + uri.getHost()
                    + " has a query; settings go on QdrantSource.builder() or in YAML");
        }
        var b = QdrantSource.builder().host(uri.getHost()).port(uri.getPort() < 0 ? 6334 : uri.getPort())
                .useTls("qdrants".equals(uri.getScheme()));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        if (path.contains("/")) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Qdrant source URI " + uri
                    + " has more than a collection in its path");
        }
        if (!path.isEmpty()) {
            b.collections(List.of(path));
        }
        return b.build();
    }

    @Override
    public Class<QdrantSettings> settingsType() {
        return QdrantSettings.class;
    }

    @Override
    public void validate(QdrantSettings s) {
        builder(s, false);
    }

    @Override
    public Source create(QdrantSettings s) {
        return builder(s, true).build();
    }

    private static QdrantSource.Builder builder(QdrantSettings s, boolean withKey) {
        if (s.host == null || s.host.isBlank()) {
            throw bad("host", "is missing");
        }
        if (s.host.contains("/") || s.host.contains(":") && !s.host.startsWith("[")) {
            throw bad("host", "must be a host name or address, not a URL: " + s.host);
        }
        if (s.port < 1 || s.port > 65_535) {
            throw bad("port", "is not 1..65535: " + s.port);
        }
        if (s.pageSize < 1) {
            throw bad("pageSize", "must be positive: " + s.pageSize);
        }
        if (s.partPoints < 0) {
            throw bad("partPoints", "must not be negative: " + s.partPoints);
        }
        if (s.timeoutSeconds < 1) {
            throw bad("timeoutSeconds", "must be positive: " + s.timeoutSeconds);
        }
        if (s.apiKey != null && s.apiKeyEnv != null) {
            throw bad("apiKey", "and source.qdrant.apiKeyEnv are both set; give one");
        }
        if (s.apiKey != null && s.apiKey.isBlank()) {
            throw bad("apiKey", "is blank");
        }
        List<String> collections = s.collections == null ? List.of() : s.collections;
        for (int i = 0; i < collections.size(); i++) {
            if (collections.get(i) == null || collections.get(i).isBlank()) {
                throw bad("collections[" + i + "]", "is blank");
            }
        }
        var b = QdrantSource.builder().host(s.host).port(s.port).useTls(s.useTls).collections(collections)
                .pageSize(s.pageSize).partPoints(s.partPoints).payloadFields(s.payloadFields)
                .nullableFields(s.nullableFields).timeout(Duration.ofSeconds(s.timeoutSeconds));
        if (withKey) {
            String key = s.apiKey;
            if (s.apiKeyEnv != null) {
                key = System.getenv(s.apiKeyEnv);
                if (key == null || key.isBlank()) {
                    throw bad("apiKeyEnv", "names " + s.apiKeyEnv + ", which is not set");
                }
            }
            if (key != null) {
                b.apiKey(key);
            }
        }
        return b;
    }

    private static MigrationException bad(String key, String what) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "source.qdrant." + key + " " + what);
    }
}
