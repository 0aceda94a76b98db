package io.milvus.migration.storage;

import io.milvus.migration.spi.RemoteStorageFactory;
import io.milvus.migration.spi.RemoteStorageSettings;
import io.milvus.migration.spi.Storage;
import java.nio.file.Path;

/**
 * {@link GcsStorage} for the Go tool's remote sections with {@code cloud: gcp} and no {@code ak}/{@code sk} (those
 * go through GCS's S3 interface, {@code migration-storage-s3}): the emulator at {@code endpoint}, else the
 * service-account JSON {@code credentialFile}, else application default credentials. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class GcsRemoteStorageFactory implements RemoteStorageFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public GcsRemoteStorageFactory() {
    }

    @Override
    public boolean supports(RemoteStorageSettings s) {
        return s.cloudName().equals("gcp") && s.ak == null;
    }

    @Override
    public void validate(RemoteStorageSettings s) {
        // nothing beyond what every cloud needs: useIAM means application default credentials here
    }

    @Override
    public Storage create(RemoteStorageSettings s) {
        var b = GcsStorage.builder().bucket(s.bucket);
        if (s.endpoint != null) {
            b.emulatorHost(s.endpointUrl());
        } else if (s.credentialFile != null) {
            b.serviceAccountJson(Path.of(s.credentialFile));
        } else {
            b.applicationDefaultCredentials();
        }
        return b.build();
    }
}
