package io.milvus.migration.storage;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.util.function.Function;

/**
 * Creates {@link AzureBlobStorage} for {@code azure://container/prefix} and
 * {@code https://account.blob.core.windows.net/container/prefix} URIs. Found with {@link java.util.ServiceLoader}.
 *
 * <p>Credentials, first match wins. For {@code azure://}: {@code AZURE_STORAGE_CONNECTION_STRING} or
 * {@code AZURE_CONNECTION_STRING}; else {@code AZURE_STORAGE_ACCOUNT} with {@code AZURE_STORAGE_KEY}, or with
 * {@code AZURE_STORAGE_SAS_TOKEN}, or with the default Azure credential. For {@code https://}: a SAS in the URI's
 * query, else {@code AZURE_STORAGE_KEY}, else {@code AZURE_STORAGE_SAS_TOKEN}, else the default Azure credential.
 * Secrets never appear in {@link Storage#describe()}.
 */
public final class AzureBlobStorageFactory implements StorageFactory {
    private final Function<String, String> env;

    /** Called by {@link java.util.ServiceLoader}; reads the process environment. */
    public AzureBlobStorageFactory() {
        this(System::getenv);
    }

    AzureBlobStorageFactory(Function<String, String> env) {
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public boolean supports(URI uri) {
        String scheme = uri.getScheme();
        if ("azure".equalsIgnoreCase(scheme)) {
            return true;
        }
        String host = uri.getHost();
        return ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) && host != null
                && host.toLowerCase(java.util.Locale.ROOT).matches("[a-z0-9]+\\.blob\\.core\\.[a-z0-9.]+");
    }

    @Override
    public Storage create(URI uri) {
        return builderFor(uri).build();
    }

    /** The builder {@link #create(URI)} builds; no I/O. */
    AzureBlobStorage.Builder builderFor(URI uri) {
        if (!supports(uri)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "not an Azure Blob URI (azure://container/prefix "
                    + "or https://account.blob.core.windows.net/container/prefix): " + redacted(uri));
        }
        var b = AzureBlobStorage.builder();
        if ("azure".equalsIgnoreCase(uri.getScheme())) {
            String container = uri.getAuthority();
            if (container == null || container.isBlank()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "no container in " + redacted(uri));
            }
            b.container(container).prefix(uri.getPath() == null ? "" : uri.getPath());
            String cs = firstSet("AZURE_STORAGE_CONNECTION_STRING", "AZURE_CONNECTION_STRING");
            if (cs != null) {
                return b.connectionString(cs);
            }
            String account = firstSet("AZURE_STORAGE_ACCOUNT");
            if (account == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, redacted(uri) + ": set "
                        + "AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT (with AZURE_STORAGE_KEY, "
                        + "AZURE_STORAGE_SAS_TOKEN or a default Azure credential)");
            }
            b.accountName(account);
            return credentialsFromEnv(b);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
        int slash = path.indexOf('/');
        String container = slash < 0 ? path : path.substring(0, slash);
        if (container.isEmpty()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "no container in " + redacted(uri));
        }
        String host = uri.getHost();
        b.container(container).prefix(slash < 0 ? "" : path.substring(slash + 1))
                .accountName(host.substring(0, host.indexOf('.')))
                .endpoint(uri.getScheme() + "://" + uri.getRawAuthority());
        if (uri.getRawQuery() != null && UriQuery.param(uri, "sig") != null) {
            return b.sasToken(uri.getRawQuery());
        }
        return credentialsFromEnv(b);
    }

    private AzureBlobStorage.Builder credentialsFromEnv(AzureBlobStorage.Builder b) {
        String key = firstSet("AZURE_STORAGE_KEY");
        if (key != null) {
            return b.accountKey(key);
        }
        String sas = firstSet("AZURE_STORAGE_SAS_TOKEN");
        if (sas != null) {
            return b.sasToken(sas);
        }
        return b.defaultCredential();
    }

    /** The URI without its query, which may hold a SAS. */
    static String redacted(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q) + "?<redacted>";
    }

    private String firstSet(String... names) {
        for (String n : names) {
            String v = env.apply(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
