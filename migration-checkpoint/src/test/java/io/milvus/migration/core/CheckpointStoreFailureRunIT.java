package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.checkpoint.Stores;
import io.milvus.migration.checkpoint.TestMariaDb;
import io.milvus.migration.core.CheckpointStoreFailureRunTest.BreakingStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs through the engine whose checkpoints are in the real MariaDB of {@code scripts/mariadb-server.sh}, with the
 * store's session killed (as by a server restart or a network cut) or its table locked by another session partway:
 * CHECKPOINT_IO naming the database, and the same job run again (same store object) ends with every row exactly once.
 * Fails (never skips) without {@code MILVUS1_MYSQL_URL}.
 */
class CheckpointStoreFailureRunIT {
    private final TestMariaDb db = TestMariaDb.fromEnv();
    private String database;
    private Connection admin;

    @TempDir
    Path tmp;

    @BeforeEach
    void database() throws SQLException {
        database = db.createDatabase();
        admin = db.connect(database);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        admin.close();
        db.dropDatabase(database);
    }

    /** Kills every other session on this test's database: the store's. */
    private void killStoreSessions() {
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + database
                     + "' AND ID <> CONNECTION_ID()")) {
            var ids = new java.util.ArrayList<Long>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            assertThat(ids).as("the store's session").isNotEmpty();
            for (long id : ids) {
                try (Statement kill = admin.createStatement()) {
                    kill.execute("KILL CONNECTION " + id);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(String what, int at, Runnable breakIt, Runnable repair, String says) throws Exception {
        var source = CheckpointStoreFailureRunTest.source();
        var target = new MemoryTarget(true);
        try (var store = new BreakingStore(Stores.mysql(db.urlOf(database), db.user, db.password,
                Duration.ofSeconds(1)), at, breakIt)) {
            Migration m = CheckpointStoreFailureRunTest.migration(source, target, tmp.resolve(what + at), store);
            String during = what + " at write " + at;
            assertThatThrownBy(m::run).as(during)
                    .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.CHECKPOINT_IO))
                    .hasMessageContaining("mariadb://" + db.hostPort() + "/" + database).hasMessageContaining(says)
                    .hasMessageContaining("job job can be resumed").hasMessageNotContaining(db.password);
            repair.run();
            CheckpointStoreFailureRunTest.assertConsistent(store, target, during);
            assertThat(m.run().rowsLoaded()).as(during).isEqualTo(CheckpointStoreFailureRunTest.ROWS);
            CheckpointStoreFailureRunTest.assertExactlyOnce(source, target);
            assertThat(Jobs.get(store, "job").orElseThrow().state()).as(during).isEqualTo("SUCCEEDED");
            store.drop("job");
        }
    }

    @Test
    void theStoresSessionKilledPartwayFailsTheJobWhichThenResumesWithoutDuplicates() throws Exception {
        for (int at : new int[] {2, 12, 25}) {
            run("killed", at, this::killStoreSessions, () -> { }, "record job job");
        }
    }

    @Test
    void theTableLockedByAnotherSessionPartwayFailsTheJobWhichThenResumesWithoutDuplicates() throws Exception {
        for (int at : new int[] {12}) { // one point: each blocked writer waits out the 1 s bound
            run("locked", at, () -> execute("LOCK TABLES migration_checkpoints WRITE"),
                    () -> execute("UNLOCK TABLES"), "locked");
        }
    }

    private void execute(String sql) {
        try (Statement st = admin.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
