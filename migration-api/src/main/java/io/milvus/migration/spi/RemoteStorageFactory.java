package io.milvus.migration.spi;

/**
 * Creates {@link Storage} from a {@link RemoteStorageSettings} (the Go tool's {@code remote} sections); found with
 * {@link java.util.ServiceLoader}. Exactly one factory on the class path may claim a description:
 * {@code io.milvus.migration.RemoteStorages} finds it and fails naming both when two do.
 */
public interface RemoteStorageFactory {
    /** Whether this factory serves the description, by its cloud (and for gcp, whether it has ak/sk). No I/O. */
    boolean supports(RemoteStorageSettings settings);

    /**
     * Checks the description without any I/O.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} made by
     *                                                {@link RemoteStorageSettings#invalid}, naming the key at fault
     */
    void validate(RemoteStorageSettings settings);

    /** Creates the storage (as {@link #validate} checks first); may connect. The caller closes it. */
    Storage create(RemoteStorageSettings settings);
}
