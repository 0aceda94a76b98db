package io.milvus.migration.spi;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;

/**
 * Runs migrations. {@code migration-core} provides it through {@link java.util.ServiceLoader}; users do not call it.
 */
public interface MigrationEngine {
    /** Runs one verb of a migration on the calling thread (workers are the engine's own). */
    MigrationReport execute(Migration migration, Migration.Verb verb);
}
