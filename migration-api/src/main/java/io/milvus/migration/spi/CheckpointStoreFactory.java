package io.milvus.migration.spi;

import java.nio.file.Path;

/**
 * Creates the default checkpoint store; found with {@link java.util.ServiceLoader}, so that a migration given only
 * a job id keeps its state in a local file when a store module (such as {@code migration-checkpoint}) is on the class
 * path.
 */
public interface CheckpointStoreFactory {
    /** A store kept in a local file, created when missing. */
    CheckpointStore local(Path file);
}
