package io.milvus.migration.storage;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.util.function.Function;

/**
 * Creates {@link GcsStorage} for {@code gs://bucket/prefix} URIs ({@code ?project=...} optional). Credentials come
 * from the environment, never from the URI: {@code GCS_EMULATOR_HOST} or {@code STORAGE_EMULATOR_HOST} selects an
 * emulator without authentication; otherwise application default credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}
 * names a service-account JSON file). Found with {@link java.util.ServiceLoader}.
 */
public final class GcsStorageFactory implements StorageFactory {
    private final Function<String, String> env;

    /** Called by {@link java.util.ServiceLoader}; reads the process environment. */
    public GcsStorageFactory() {
        this(System::getenv);
    }

    GcsStorageFactory(Function<String, String> env) {
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public boolean supports(URI uri) {
        return "gs".equalsIgnoreCase(uri.getScheme());
    }

    @Override
    public Storage create(URI uri) {
        return builderFor(uri).build();
    }

    /** The builder {@link #create(URI)} builds; no I/O. */
    GcsStorage.Builder builderFor(URI uri) {
        String bucket = uri.getAuthority();
        if (!supports(uri) || bucket == null || bucket.isBlank()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "not a GCS URI (gs://bucket/prefix): " + uri);
        }
        var b = GcsStorage.builder().bucket(bucket).prefix(uri.getPath() == null ? "" : uri.getPath());
        String project = UriQuery.param(uri, "project");
        if (project != null) {
            b.project(project);
        }
        String emulator = firstSet("GCS_EMULATOR_HOST", "STORAGE_EMULATOR_HOST");
        if (emulator != null) {
            b.emulatorHost(emulator);
        }
        return b;
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
