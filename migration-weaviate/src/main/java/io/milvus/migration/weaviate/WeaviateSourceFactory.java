package io.milvus.migration.weaviate;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.Source;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Creates {@link WeaviateSource}s for {@code weaviate://host:port[/Class]} ({@code weaviates://} for HTTPS; port
 * 8080 by default); without a class every class is read. An API key is never taken from a URI: use
 * {@link WeaviateSource.Builder#apiKey(String)}, or {@link WeaviateSettings#apiKeyEnv} in YAML. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class WeaviateSourceFactory implements ConfigurableSourceFactory<WeaviateSettings> {
    /** Called by {@link java.util.ServiceLoader}. */
    public WeaviateSourceFactory() {
    }

    @Override
    public String name() {
        return "weaviate";
    }

    @Override
    public boolean supports(URI uri) {
        return "weaviate".equals(uri.getScheme()) || "weaviates".equals(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        if (uri.getHost() == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Weaviate source URI " + uri.getScheme()
                    + "://... names no host; use weaviate://host:port/Class");
        }
        if (uri.getUserInfo() != null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Weaviate source URI for host " + uri.getHost()
                    + " carries user information; give an API key with WeaviateSource.builder().apiKey(...)");
        }
        String scheme = "weaviates".equals(uri.getScheme()) ? "https" : "http";
        int port = uri.getPort() < 0 ? 8080 : uri.getPort();
        var b = WeaviateSource.builder().url(URI.create(scheme + "://" + uri.getHost() + ":" + port));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        if (path.contains("/")) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Weaviate source URI " + uri
                    + " has more than a class in its path");
        }
        if (!path.isEmpty()) {
            b.collections(List.of(path));
        }
        return b.build();
    }

    @Override
    public Class<WeaviateSettings> settingsType() {
        return WeaviateSettings.class;
    }

    @Override
    public void validate(WeaviateSettings s) {
        builder(s, false);
    }

    @Override
    public Source create(WeaviateSettings s) {
        return builder(s, true).build();
    }

    private static WeaviateSource.Builder builder(WeaviateSettings s, boolean withKey) {
        URI url;
        try {
            url = URI.create(require(s.url, "url"));
        } catch (IllegalArgumentException e) {
            throw bad("url", "is not a URI: " + s.url);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw bad("url", "must be http(s)://host:port, not " + s.url);
        }
        if (url.getUserInfo() != null) {
            throw bad("url", "carries user information; give the key with apiKeyEnv");
        }
        List<String> collections = s.collections == null ? List.of() : s.collections;
        List<String> classes = s.classes == null ? List.of() : s.classes;
        if (!collections.isEmpty() && !classes.isEmpty()) {
            throw bad("classes", "and source.weaviate.collections are the same setting; give one");
        }
        if (s.apiKey != null && s.apiKeyEnv != null) {
            throw bad("apiKey", "and source.weaviate.apiKeyEnv are both given; give one");
        }
        var b = WeaviateSource.builder().url(url).collections(collections.isEmpty() ? classes : collections)
                .vectors(s.vectors == null ? List.of() : s.vectors)
                .tenants(s.tenants == null ? List.of() : s.tenants).nullableFields(s.nullableFields);
        try {
            b.pageSize(s.pageSize);
        } catch (IllegalArgumentException e) {
            throw bad("pageSize", "must be in 1..10000: " + s.pageSize);
        }
        try {
            b.partRows(s.partRows);
        } catch (IllegalArgumentException e) {
            throw bad("partRows", "must be positive: " + s.partRows);
        }
        try {
            b.textMaxLength(s.textMaxLength);
        } catch (IllegalArgumentException e) {
            throw bad("textMaxLength", "must be in 1..65535: " + s.textMaxLength);
        }
        try {
            b.arrayCapacity(s.arrayCapacity);
        } catch (IllegalArgumentException e) {
            throw bad("arrayCapacity", "must be in 1..4096: " + s.arrayCapacity);
        }
        if (s.requestTimeoutSeconds < 1) {
            throw bad("requestTimeoutSeconds", "must be positive: " + s.requestTimeoutSeconds);
        }
        b.requestTimeout(Duration.ofSeconds(s.requestTimeoutSeconds));
        try {
            b.dates(WeaviateSource.DateMapping.valueOf(require(s.dates, "dates").toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw bad("dates", "is epoch_millis or text, not " + s.dates);
        }
        for (String c : collections.isEmpty() ? classes : collections) {
            if (c == null || c.isBlank()) {
                throw bad(collections.isEmpty() ? "classes" : "collections", "has an empty name");
            }
        }
        if (s.apiKey != null) {
            if (s.apiKey.isBlank()) {
                throw bad("apiKey", "is empty");
            }
            b.apiKey(s.apiKey);
        } else if (s.apiKeyEnv != null && withKey) {
            String key = System.getenv(s.apiKeyEnv);
            if (key == null) {
                throw bad("apiKeyEnv", "names " + s.apiKeyEnv + ", which is not set");
            }
            b.apiKey(key);
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
        return new MigrationException(ErrorCode.INVALID_CONFIG, "source.weaviate." + key + " " + what);
    }
}
