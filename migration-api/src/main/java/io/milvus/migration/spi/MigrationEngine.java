package io.milvus.migration.spi;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationHandle;

/**
 * Runs migrations. {@code migration-core} provides it through {@link java.util.ServiceLoader}; users do not call it.
 */
public interface MigrationEngine {
    /** Starts one verb of a migration on a thread of the engine's; returns at once. */
    MigrationHandle start(Migration migration, Migration.Verb verb);

    /** Plans a migration without running it (see {@link Migration#plan()}); the default cannot. */
    default io.milvus.migration.MigrationPlan plan(Migration migration) {
        throw new io.milvus.migration.MigrationException(io.milvus.migration.ErrorCode.INVALID_CONFIG,
                "this migration engine cannot plan; use migration-core's");
    }

    /** Verifies a migration (see {@link Migration#verify()}); the default cannot. */
    default io.milvus.migration.VerifyReport verify(Migration migration, io.milvus.migration.VerifyOptions options) {
        throw new io.milvus.migration.MigrationException(io.milvus.migration.ErrorCode.INVALID_CONFIG,
                "this migration engine cannot verify; use migration-core's");
    }
}
