package io.milvus.migration.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.CheckpointStore.Entry;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The MySQL store against the real MariaDB of {@code scripts/mariadb-server.sh} when things go wrong: a wrong
 * password (never quoted), nothing listening, an unknown database, a table or row locked by another session, the
 * store's connection killed in the middle of a write. Fails (never skips) without {@code MILVUS1_MYSQL_URL}.
 */
class MysqlStoreFailureIT {
    private static final Duration SHORT = Duration.ofSeconds(1);
    private final TestMariaDb db = TestMariaDb.fromEnv();
    private String database;

    @BeforeEach
    void database() {
        database = db.createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        db.dropDatabase(database);
    }

    private static List<Entry> entries(String value, int n) {
        var out = new ArrayList<Entry>();
        for (int i = 0; i < n; i++) {
            out.add(new Entry("split", "s-" + i, value));
        }
        return out;
    }

    private static void assertCheckpointIo(MigrationException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.CHECKPOINT_IO);
    }

    @Test
    void aWrongPasswordFailsWithoutEverShowingAPassword() {
        String wrong = "Wr0ng-" + db.password;
        try (CheckpointStore store = CheckpointStores.mysql(db.urlOf(database), db.user, wrong)) {
            assertThatThrownBy(() -> store.write("j", entries("x", 1)))
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining("mariadb://" + db.hostPort() + "/" + database)
                    .hasMessageContaining("Access denied").hasMessageContaining(db.user)
                    .hasMessageNotContaining(wrong).hasMessageNotContaining(db.password);
            assertThat(store.describe()).doesNotContain(wrong);
            assertThat(store.toString()).doesNotContain(wrong).contains(db.user);
        }
        // a password in the URL's query stays out of descriptions and errors as well
        String inUrl = db.urlOf(database) + "?user=" + db.user + "&password=" + wrong;
        try (CheckpointStore store = CheckpointStores.mysql(inUrl, null, null)) {
            assertThatThrownBy(store::jobIds)
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining(database).hasMessageNotContaining(wrong);
            assertThat(store.describe()).doesNotContain(wrong);
            assertThat(store.toString()).doesNotContain(wrong);
        }
        try (CheckpointStore store = CheckpointStores.mysql(db.urlOf(database), db.user, db.password)) {
            assertThat(store.describe()).doesNotContain(db.password);
            assertThat(store.toString()).doesNotContain(db.password);
            store.write("j", entries("x", 1));
        }
    }

    @Test
    void nothingListeningOnThePortIsAClearError() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
        try (CheckpointStore store = CheckpointStores.mysql(url, db.user, db.password)) {
            assertThatThrownBy(() -> store.read("j"))
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining("cannot open checkpoint store mariadb://127.0.0.1:" + port + "/" + database)
                    .hasMessageNotContaining(db.password);
        }
    }

    @Test
    void anUnknownDatabaseIsNamed() {
        String url = db.urlOf(database + "_missing");
        try (CheckpointStore store = CheckpointStores.mysql(url, db.user, db.password)) {
            assertThatThrownBy(store::jobIds)
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining(database + "_missing").hasMessageContaining("Unknown database");
        }
    }

    @Test
    void anotherProgramsTableOfTheSameNameIsNotACheckpointTable() throws Exception {
        try (Connection c = db.connect(database); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + JdbcCheckpointStore.TABLE + " (id INT PRIMARY KEY, name TEXT)");
        }
        try (CheckpointStore store = CheckpointStores.mysql(db.urlOf(database), db.user, db.password)) {
            assertThatThrownBy(() -> store.write("j", entries("x", 1)))
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining(database).hasMessageContaining("not a checkpoint database, or corrupt");
        }
    }

    @Test
    @Timeout(60) // without the store's bound on lock waits the first write would wait for a year
    void aTableOrRowLockedByAnotherSessionFailsAfterTheTimeoutSayingLocked() throws Exception {
        try (CheckpointStore store = CheckpointStores.mysql(db.urlOf(database), db.user, db.password, SHORT);
             Connection other = db.connect(database); Statement st = other.createStatement()) {
            store.write("j", entries("before", 2));

            // what a backup's lock or a LOCK TABLES does: without a bound the write would wait up to a year
            st.execute("LOCK TABLES " + JdbcCheckpointStore.TABLE + " WRITE");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.write("j", entries("during", 2)))
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining(database).hasMessageContaining("locked");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(SHORT.toNanos());
            st.execute("UNLOCK TABLES");
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("before", 2));

            // a row lock of another transaction
            other.setAutoCommit(false);
            st.execute("UPDATE " + JdbcCheckpointStore.TABLE + " SET entry_value = 'theirs' WHERE entry_key = 's-1'");
            assertThatThrownBy(() -> store.write("j", entries("during", 2)))
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining(database).hasMessageContaining("locked");
            other.rollback();
            other.setAutoCommit(true);

            store.write("j", entries("after", 2));
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("after", 2));
        }
    }

    @Test
    void aConnectionKilledMidWriteLeavesNoneOfItAndTheStoreConnectsAgain() throws Exception {
        try (CheckpointStore store = CheckpointStores.mysql(db.urlOf(database), db.user, db.password);
             Connection admin = db.connect(database); Statement st = admin.createStatement()) {
            store.write("j", entries("before", 3));
            // the entry "slow" makes the insert sleep inside the transaction, after the entries before it
            st.execute("CREATE TRIGGER slow BEFORE INSERT ON " + JdbcCheckpointStore.TABLE + " FOR EACH ROW BEGIN"
                    + " IF NEW.entry_key = 'slow' THEN DO SLEEP(30); END IF; END");
            var batch = new ArrayList<>(entries("during", 3));
            batch.add(new Entry("split", "new", "n"));
            batch.add(new Entry("split", "slow", "z"));
            batch.add(new Entry("split", "last", "l"));
            var write = CompletableFuture.runAsync(() -> store.write("j", batch));

            long id = sleepingSession(st);
            st.execute("KILL CONNECTION " + id);
            assertThatThrownBy(() -> write.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(MigrationException.class, MysqlStoreFailureIT::assertCheckpointIo)
                    .hasMessageContaining(database).hasMessageContaining("record job j");
            st.execute("DROP TRIGGER slow");
            try (CheckpointStore other = CheckpointStores.mysql(db.urlOf(database), db.user, db.password)) {
                assertThat(other.read("j")).as("none of the killed write")
                        .containsExactlyInAnyOrderElementsOf(entries("before", 3));
            }
            // a store object outlives a lost connection (a server restart, a network cut): it connects again
            store.write("j", entries("after", 3));
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("after", 3));
        }
    }

    /** The session of this test's database that sleeps in the trigger. */
    private long sleepingSession(Statement st) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = st.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '"
                    + database + "' AND ID <> CONNECTION_ID() AND STATE = 'User sleep'")) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the store's write never reached the sleeping trigger");
    }
}
