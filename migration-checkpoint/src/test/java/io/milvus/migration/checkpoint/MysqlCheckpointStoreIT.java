package io.milvus.migration.checkpoint;

import io.milvus.migration.spi.CheckpointStore;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store contract on the real MariaDB of {@code scripts/mariadb-server.sh}, a fresh database per test. Fails
 * (never skips) without {@code MILVUS1_MYSQL_URL}.
 */
class MysqlCheckpointStoreIT extends CheckpointStoreContract {
    private final TestMariaDb db = TestMariaDb.fromEnv();
    private String database;

    @BeforeEach
    void database() {
        database = db.createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        closeStores();
        db.dropDatabase(database);
    }

    @Override
    protected CheckpointStore newStore() {
        return CheckpointStores.mysql(db.urlOf(database), db.user, db.password);
    }

    @Override
    protected Connection connect() throws SQLException {
        return db.connect(database);
    }

    @Override
    protected String poisonTrigger(String key) {
        return "CREATE TRIGGER poison BEFORE INSERT ON " + JdbcCheckpointStore.TABLE + " FOR EACH ROW BEGIN"
                + " IF NEW.entry_key = '" + key + "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poisoned entry';"
                + " END IF; END";
    }
}
