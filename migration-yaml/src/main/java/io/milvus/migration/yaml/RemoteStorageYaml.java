package io.milvus.migration.yaml;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.RemoteStorages;
import io.milvus.migration.spi.RemoteStorageSettings;
import io.milvus.migration.spi.Storage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Go tool's {@code source.remote} / {@code target.remote} section: its keys read and checked as the old tool
 * wrote them, as a {@link RemoteStorageSettings} that the storage module on the class path serves
 * ({@link RemoteStorages}); no storage class is known here.
 */
final class RemoteStorageYaml {
    private RemoteStorageYaml() {
    }

    private static final String[] KEYS = {"cloud", "bucket", "endpoint", "region", "ak", "sk", "useIAM", "useSSL",
        "checkBucket", "credentialFile"};

    /** Marks the section's keys as known without creating storage: for a section the chosen mode does not use. */
    static void accept(ConfigNode remote) {
        for (String key : KEYS) {
            remote.optString(key);
        }
    }

    /** The section's keys, each read and type-checked, named as {@link RemoteStorageSettings} names them. */
    static Map<String, Object> values(ConfigNode remote) {
        var v = new LinkedHashMap<String, Object>();
        v.put("cloud", remote.optChoice("cloud", "aws", "minio", "ali", "tc", "gcp", "azure").orElse("aws"));
        for (String key : new String[] {"bucket", "endpoint", "region", "ak", "sk", "credentialFile"}) {
            remote.optString(key).ifPresent(s -> v.put(key, s));
        }
        for (String key : new String[] {"useIAM", "useSSL", "checkBucket"}) {
            remote.optBool(key).ifPresent(b -> v.put(key, b));
        }
        return v;
    }

    static RemoteStorageSettings settings(ConfigNode remote) {
        Map<String, Object> v = values(remote);
        var s = new RemoteStorageSettings();
        s.cloud = (String) v.get("cloud");
        s.bucket = (String) v.get("bucket");
        s.endpoint = (String) v.get("endpoint");
        s.region = (String) v.get("region");
        s.ak = (String) v.get("ak");
        s.sk = (String) v.get("sk");
        s.credentialFile = (String) v.get("credentialFile");
        s.useIAM = (Boolean) v.getOrDefault("useIAM", false);
        s.useSSL = (Boolean) v.getOrDefault("useSSL", true);
        s.checkBucket = (Boolean) v.getOrDefault("checkBucket", false);
        return s;
    }

    /** Checks the section without I/O, with the storage module that serves it. */
    static void validate(ConfigNode remote) {
        try {
            RemoteStorages.validate(settings(remote), remote.path());
        } catch (MigrationException e) {
            throw told(e, remote);
        }
    }

    /** Storage for the section; reads every key it knows so that unknown ones are reported by the caller. */
    static Storage storage(ConfigNode remote) {
        try {
            return RemoteStorages.create(settings(remote), remote.path());
        } catch (MigrationException e) {
            throw told(e, remote);
        }
    }

    /** {@code target.remote.sk is missing} as the config's other errors put it. */
    private static MigrationException told(MigrationException e, ConfigNode remote) {
        String reason = e.reason();
        int space = reason.indexOf(' ');
        if (e.code() != ErrorCode.INVALID_CONFIG || space < 0 || !reason.startsWith(remote.path() + ".")) {
            return e;
        }
        return new MigrationException(e.code(), remote.file() + ": key '" + reason.substring(0, space) + "' "
                + reason.substring(space + 1), e.getCause());
    }
}
