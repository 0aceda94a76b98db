package io.milvus.migration.checkpoint;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.CheckpointStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The checkpoint stores this module provides, for {@code Migration.builder().checkpoints(...)}.
 *
 * <pre>{@code
 * Migration.builder()...jobId("nightly-42").checkpoints(CheckpointStores.sqlite(Path.of("jobs.db"))).build().run();
 * }</pre>
 */
public final class CheckpointStores {
    private CheckpointStores() {
    }

    /**
     * Job state in a local SQLite file, created with its table when missing (its directory must exist). Connects on
     * first use. A call waits up to 10 s for a lock another process holds on the file, then fails with
     * {@code CHECKPOINT_IO}.
     */
    public static CheckpointStore sqlite(Path file) {
        return sqlite(file, JdbcCheckpointStore.LOCK_TIMEOUT);
    }

    /** With another wait for a lock held by another process (tests wait less than the default 10 s). */
    static CheckpointStore sqlite(Path file, Duration lockTimeout) {
        requireNonNull(file, "file is null");
        Path abs = file.toAbsolutePath().normalize();
        return new JdbcCheckpointStore(JdbcCheckpointStore.Dialect.SQLITE, "jdbc:sqlite:" + abs, null, null,
                "sqlite:" + abs, lockTimeout);
    }

    /**
     * Job state in a MySQL or MariaDB database (table {@code migration_checkpoints}, created when missing). Connects
     * on first use. The password never appears in messages or {@code toString()}.
     *
     * <p>A call that waits more than 10 s for a lock another session holds (a {@code LOCK TABLES}, a backup's
     * {@code FLUSH TABLES WITH READ LOCK}) fails with {@code CHECKPOINT_IO} rather than waiting for the server's
     * default (up to a year). A connection the server closed (a restart, a killed session) fails the call it broke;
     * the next call connects again. Keys are compared exactly, trailing spaces included (a NO PAD collation; MySQL
     * 5.7 has none and ignores trailing spaces).
     *
     * @param jdbcUrl  such as {@code jdbc:mariadb://127.0.0.1:3306/migration} or {@code jdbc:mysql://...}
     */
    public static CheckpointStore mysql(String jdbcUrl, String user, String password) {
        return mysql(jdbcUrl, user, password, JdbcCheckpointStore.LOCK_TIMEOUT);
    }

    /** With another wait for a lock held by another session (tests wait less than the default 10 s). */
    static CheckpointStore mysql(String jdbcUrl, String user, String password, Duration lockTimeout) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        if (!jdbcUrl.startsWith("jdbc:mysql:") && !jdbcUrl.startsWith("jdbc:mariadb:")) {
            throw new io.milvus.migration.MigrationException(io.milvus.migration.ErrorCode.INVALID_CONFIG,
                    "checkpoint mysqlUrl must start with jdbc:mysql: or jdbc:mariadb:, found "
                    + JdbcCheckpointStore.withoutQuery(jdbcUrl));
        }
        // the MariaDB driver serves both schemes (permitMysqlScheme lets it take jdbc:mysql: URLs)
        String url = jdbcUrl.startsWith("jdbc:mysql:") ? jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?")
                + "permitMysqlScheme" : jdbcUrl;
        return new JdbcCheckpointStore(JdbcCheckpointStore.Dialect.MYSQL, url, user, password,
                JdbcCheckpointStore.withoutQuery(jdbcUrl).replaceFirst("^jdbc:", ""), lockTimeout);
    }
}
