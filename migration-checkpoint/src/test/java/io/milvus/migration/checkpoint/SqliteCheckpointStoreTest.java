package io.milvus.migration.checkpoint;

import io.milvus.migration.spi.CheckpointStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file (sqlite-jdbc). */
class SqliteCheckpointStoreTest extends CheckpointStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("checkpoints.db");
    }

    @Override
    protected CheckpointStore newStore() {
        return CheckpointStores.sqlite(file());
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file());
    }

    @Override
    protected String poisonTrigger(String key) {
        return "CREATE TRIGGER poison BEFORE INSERT ON " + JdbcCheckpointStore.TABLE + " WHEN NEW.entry_key = '"
                + key + "' BEGIN SELECT RAISE(ABORT, 'poisoned entry'); END";
    }
}
