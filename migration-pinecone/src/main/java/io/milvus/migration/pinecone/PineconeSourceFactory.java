package io.milvus.migration.pinecone;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.Source;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Creates {@link PineconeSource}s for {@code pinecone://index-name} (Pinecone's cloud, the API key from the
 * environment variable {@code PINECONE_API_KEY}) and, as the {@code pinecone} plug-in of a {@code migration.yaml},
 * from a {@link PineconeSettings} section. An API key is never taken from a URI. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class PineconeSourceFactory implements ConfigurableSourceFactory<PineconeSettings> {
    /** The environment variable a {@code pinecone://} URI takes its API key from. */
    public static final String API_KEY_ENV = "PINECONE_API_KEY";
    /** Pinecone's index names: lower-case letters, digits and -, at most 45. */
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?");

    private final UnaryOperator<String> env;

    /** Called by {@link java.util.ServiceLoader}. */
    public PineconeSourceFactory() {
        this(System::getenv);
    }

    /** With another environment, for tests. */
    PineconeSourceFactory(UnaryOperator<String> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "pinecone";
    }

    @Override
    public boolean supports(URI uri) {
        return "pinecone".equals(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        if (uri.getRawUserInfo() != null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Pinecone source URI for index " + uri.getHost()
                    + " carries user information; the API key comes from " + API_KEY_ENV);
        }
        String index = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        if (index == null || !INDEX_NAME.matcher(index).matches() || uri.getPort() >= 0
                || uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Pinecone source URI " + uri.getScheme() + "://"
                    + (index == null ? "" : index) + "... is not pinecone://index-name (lower-case letters, digits "
                    + "and -)");
        }
        String key = env.apply(API_KEY_ENV);
        if (key == null || key.isEmpty()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Pinecone source pinecone://" + index
                    + ": the environment variable " + API_KEY_ENV + " is not set");
        }
        return PineconeSource.builder().index(index).apiKey(key).build();
    }

    @Override
    public Class<PineconeSettings> settingsType() {
        return PineconeSettings.class;
    }

    @Override
    public void validate(PineconeSettings s) {
        builder(s, false);
    }

    @Override
    public Source create(PineconeSettings s) {
        return builder(s, true).build();
    }

    private PineconeSource.Builder builder(PineconeSettings s, boolean withKey) {
        String index = require(s.index, "index");
        if (!INDEX_NAME.matcher(index).matches()) {
            throw bad("index", "is not a Pinecone index name (lower-case letters, digits and -): " + index);
        }
        String url = require(s.controllerUrl, "controllerUrl");
        try {
            URI u = URI.create(url);
            if (u.getRawUserInfo() != null) {
                throw bad("controllerUrl", "carries user information; give the key as apiKey or apiKeyEnv");
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw bad("controllerUrl", "must be http(s)://host[:port], not " + url);
            }
        } catch (IllegalArgumentException e) {
            throw bad("controllerUrl", "is not a URL: " + url);
        }
        if (s.host != null && (s.host.isBlank() || s.host.contains("/") && !s.host.matches("https?://[^/]+/?"))) {
            throw bad("host", "must be host:port, not " + s.host);
        }
        if (s.pageSize < 1) {
            throw bad("pageSize", "must be positive: " + s.pageSize);
        }
        if (s.requestTimeoutSeconds < 1) {
            throw bad("requestTimeoutSeconds", "must be positive: " + s.requestTimeoutSeconds);
        }
        if (s.apiKey == null && (s.apiKeyEnv == null || s.apiKeyEnv.isBlank())) {
            throw bad("apiKeyEnv", "is missing, and no apiKey is given");
        }
        var b = PineconeSource.builder().index(index).controllerUrl(url).useTls(s.useTls).pageSize(s.pageSize)
                .namespaces(s.namespaces == null ? List.of() : s.namespaces).nullableFields(s.nullableFields)
                .requestTimeout(Duration.ofSeconds(s.requestTimeoutSeconds));
        if (s.host != null) {
            b.host(s.host.replaceFirst("^https?://", "").replaceFirst("/$", ""));
        }
        if (s.collection != null) {
            b.collection(s.collection);
        }
        try {
            b.sparseValues(PineconeSource.SparseValues.valueOf(require(s.sparseValues, "sparseValues")
                    .toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw bad("sparseValues", "is auto, include or drop, not " + s.sparseValues);
        }
        if (s.metadataFields != null) {
            s.metadataFields.forEach((key, type) -> {
                try {
                    b.metadataField(key, PineconeSource.MetadataType.valueOf(String.valueOf(type)
                            .toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw bad("metadataFields." + key, "is string, number, boolean or string_list, not " + type);
                }
            });
        }
        if (withKey) {
            String key = s.apiKey != null ? s.apiKey : env.apply(s.apiKeyEnv);
            if (key == null || key.isEmpty()) {
                throw bad(s.apiKey != null ? "apiKey" : "apiKeyEnv", s.apiKey != null ? "is empty"
                        : "names " + s.apiKeyEnv + ", which is not set");
            }
            b.apiKey(key);
        } else if (s.apiKey != null && s.apiKey.isEmpty()) {
            throw bad("apiKey", "is empty");
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
        return new MigrationException(ErrorCode.INVALID_CONFIG, "source.pinecone." + key + " " + what);
    }
}
