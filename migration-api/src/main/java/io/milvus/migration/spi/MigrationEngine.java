package io.milvus.migration.spi;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationHandle;

/**
 * Runs migrations. {@code migration-core} provides it through {@link java.util.ServiceLoader}; users do not call it.
 */
public interface MigrationEngine {
    /** Starts one verb of a migration on a thread of the engine's; returns at once. */
    MigrationHandle start(Migration migration, Migration.Verb verb);
}
