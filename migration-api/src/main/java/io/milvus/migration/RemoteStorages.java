package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.RemoteStorageFactory;
import io.milvus.migration.spi.RemoteStorageSettings;
import io.milvus.migration.spi.Storage;

/**
 * Finds the one {@link RemoteStorageFactory} that serves a {@link RemoteStorageSettings} and checks or creates the
 * storage with it. Factories come from a class loader (by default the thread's context loader, as
 * {@link Migration.Builder#classLoader} does): {@code migration-storage-s3} serves aws, minio, ali, tc and gcp with
 * ak/sk, {@code migration-storage-gcs} gcp without, {@code migration-storage-azure} azure.
 *
 * <pre>{@code
 * Storage s = RemoteStorages.create(settings, "source.remote");
 * }</pre>
 */
public final class RemoteStorages {
    private RemoteStorages() {
    }

    /** The keys of {@link RemoteStorageSettings}, which a factory's reason starts with. */
    private static final String[] KEYS = {"cloud", "bucket", "endpoint", "region", "ak", "sk", "useIAM", "useSSL",
        "checkBucket", "credentialFile"};

    /**
     * Checks the description without I/O.
     *
     * @param at where the description is, for messages, such as {@code target.remote}: a factory's reason
     *           {@code "sk is missing"} becomes {@code "target.remote.sk is missing"}
     * @throws MigrationException {@code INVALID_CONFIG} naming the key at fault, or the cloud when no module on
     *                            the class path serves it, or both factories when two do
     */
    public static void validate(RemoteStorageSettings settings, String at) {
        validate(settings, at, Plugins.defaultLoader());
    }

    /** As {@link #validate(RemoteStorageSettings, String)}, with factories from {@code loader}. */
    public static void validate(RemoteStorageSettings settings, String at, ClassLoader loader) {
        RemoteStorageFactory f = factory(settings, at, loader);
        try {
            f.validate(settings);
        } catch (MigrationException e) {
            throw placed(e, at);
        }
    }

    /** Checks as {@link #validate(RemoteStorageSettings, String)} does, then creates the storage; the caller closes it. */
    public static Storage create(RemoteStorageSettings settings, String at) {
        return create(settings, at, Plugins.defaultLoader());
    }

    /** As {@link #create(RemoteStorageSettings, String)}, with factories from {@code loader}. */
    public static Storage create(RemoteStorageSettings settings, String at, ClassLoader loader) {
        RemoteStorageFactory f = factory(settings, at, loader);
        try {
            f.validate(settings);
            return f.create(settings);
        } catch (MigrationException e) {
            throw placed(e, at);
        }
    }

    private static RemoteStorageFactory factory(RemoteStorageSettings settings, String at, ClassLoader loader) {
        requireNonNull(settings, "settings is null");
        requireNonNull(at, "at is null");
        requireNonNull(loader, "loader is null");
        try {
            common(settings);
        } catch (MigrationException e) {
            throw placed(e, at);
        }
        String cloud = settings.cloudName();
        return Plugins.find(RemoteStorageFactory.class, loader, f -> f.supports(settings), "cloud " + cloud
                + " (" + at + ")").orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG, at
                + ".cloud is " + cloud + ", which no storage module on the class path serves: add "
                + module(settings) + " (aws, minio, ali, tc and gcp with ak/sk: migration-storage-s3; gcp without"
                + " ak/sk: migration-storage-gcs; azure: migration-storage-azure)"));
    }

    /** What holds for every cloud: a bucket, ak with sk, one way of signing in. */
    private static void common(RemoteStorageSettings s) {
        if (s.bucket == null || s.bucket.isBlank()) {
            throw RemoteStorageSettings.invalid("bucket", "is missing");
        }
        if ((s.ak == null) != (s.sk == null)) {
            throw RemoteStorageSettings.invalid(s.ak != null ? "sk" : "ak", "is missing; 'ak' and 'sk' go together");
        }
        if (s.useIAM && s.ak != null) {
            throw RemoteStorageSettings.invalid("useIAM", "is true but 'ak'/'sk' are set too; keep one way of"
                    + " signing in");
        }
        if (s.credentialFile != null && !s.cloudName().equals("gcp")) {
            throw RemoteStorageSettings.invalid("credentialFile", "is for cloud gcp only");
        }
    }

    private static String module(RemoteStorageSettings s) {
        return switch (s.cloudName()) {
            case "azure" -> "migration-storage-azure";
            case "gcp" -> s.ak == null ? "migration-storage-gcs" : "migration-storage-s3";
            default -> "migration-storage-s3";
        };
    }

    /** A factory's reason names the key; put the place in front of a reason that does not have it yet. */
    private static MigrationException placed(MigrationException e, String at) {
        if (e.code() != ErrorCode.INVALID_CONFIG) {
            return e;
        }
        for (String key : KEYS) {
            if (e.reason().startsWith(key + " ")) {
                return new MigrationException(e.code(), at + "." + e.reason(), e.getCause());
            }
        }
        return e;
    }
}
