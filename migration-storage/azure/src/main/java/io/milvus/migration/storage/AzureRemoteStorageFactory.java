package io.milvus.migration.storage;

import io.milvus.migration.spi.RemoteStorageFactory;
import io.milvus.migration.spi.RemoteStorageSettings;
import io.milvus.migration.spi.Storage;

/**
 * {@link AzureBlobStorage} for the Go tool's remote sections with {@code cloud: azure}: {@code bucket} is the
 * container, {@code ak} the storage account name and {@code sk} its key, or {@code useIAM} for the default
 * credential; {@code endpoint} for Azurite or a private endpoint. The container must exist. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class AzureRemoteStorageFactory implements RemoteStorageFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public AzureRemoteStorageFactory() {
    }

    @Override
    public boolean supports(RemoteStorageSettings s) {
        return s.cloudName().equals("azure");
    }

    @Override
    public void validate(RemoteStorageSettings s) {
        if (!s.useIAM && s.ak == null) {
            throw RemoteStorageSettings.invalid("ak", "(the storage account name) is missing");
        }
    }

    @Override
    public Storage create(RemoteStorageSettings s) {
        var b = AzureBlobStorage.builder().container(s.bucket);
        if (s.endpoint != null) {
            b.endpoint(s.endpointUrl());
        }
        if (s.useIAM) {
            b.defaultCredential();
        } else {
            b.accountName(s.ak);
            b.accountKey(s.sk);
        }
        b.createContainer(false);
        return b.build();
    }
}
