package io.milvus.migration.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.CheckpointStore.Entry;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SQLite checkpoint file that another connection or process locks, that is read-only, corrupt, truncated,
 * missing its directory, or whose writer is killed mid-transaction: a CHECKPOINT_IO error naming the file and
 * saying what is wrong, and never a half-written job.
 */
class SqliteStoreFailureTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("checkpoints.db");
    }

    private static List<Entry> entries(String value, int n) {
        var out = new ArrayList<Entry>();
        for (int i = 0; i < n; i++) {
            out.add(new Entry("split", "s-" + i, value));
        }
        return out;
    }

    private static Consumer<MigrationException> checkpointIo() {
        return e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKPOINT_IO);
    }

    private void assertFails(ThrowingCallable call, Path file, String... says) {
        var a = assertThatThrownBy(call).isInstanceOfSatisfying(MigrationException.class, checkpointIo())
                .hasMessageContaining("sqlite:" + file);
        for (String s : says) {
            a.hasMessageContaining(s);
        }
    }

    @Test
    void aFileLockedByAnotherConnectionFailsAfterTheTimeoutSayingLockedAndWritesNothing() throws Exception {
        try (CheckpointStore store = CheckpointStores.sqlite(file(), SHORT)) {
            store.write("j", entries("before", 3));
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file());
                 Statement st = other.createStatement()) {
                st.execute("BEGIN EXCLUSIVE");
                long t0 = System.nanoTime();
                assertFails(() -> store.write("j", entries("during", 3)), file(), "locked", "record job j");
                assertThat(System.nanoTime() - t0).as("waited for the lock first")
                        .isGreaterThanOrEqualTo(SHORT.toNanos());
                assertFails(() -> store.read("j"), file(), "locked");
                assertFails(store::jobIds, file(), "locked");
                st.execute("ROLLBACK");
            }
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("before", 3));
            store.write("j", entries("after", 3));
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("after", 3));
        }
    }

    @Test
    void aLockReleasedWithinTheTimeoutIsWaitedFor() throws Exception {
        try (CheckpointStore store = CheckpointStores.sqlite(file(), Duration.ofSeconds(20))) {
            store.write("j", entries("before", 1));
            var locked = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file());
                     Statement st = other.createStatement()) {
                    st.execute("BEGIN EXCLUSIVE");
                    locked.countDown();
                    Thread.sleep(500);
                    st.execute("COMMIT");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            holder.start();
            locked.await();
            store.write("j", entries("after", 2));
            holder.join();
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("after", 2));
        }
    }

    @Test
    void aFileLockedByAnotherProcessFailsSayingLocked() throws Exception {
        try (CheckpointStore store = CheckpointStores.sqlite(file(), SHORT)) {
            store.write("j", entries("before", 2));
            try (var other = StoreProcess.start("lock", file())) {
                assertThat(other.nextLine()).isEqualTo("locked");
                assertFails(() -> store.write("j", entries("during", 2)), file(), "locked by another process");
            }
            store.write("j", entries("after", 2));
        }
        try (CheckpointStore reopened = CheckpointStores.sqlite(file())) {
            assertThat(reopened.read("j")).containsExactlyInAnyOrderElementsOf(entries("after", 2));
        }
    }

    @Test
    void aWriterKilledMidTransactionLeavesWholeJobsOnly() throws Exception {
        Path journal = dir.resolve("checkpoints.db-journal");
        boolean killedMidWrite = false;
        for (int attempt = 0; attempt < 5 && !killedMidWrite; attempt++) {
            Files.deleteIfExists(file());
            try (var writer = StoreProcess.start("write", file())) {
                while (!writer.nextLine().equals("writing 2")) {
                    // two whole jobs first
                }
                // a write of the batch takes some 200 ms: come in its middle, not before its first statement
                Thread.sleep(30 + 20 * attempt);
                writer.kill();
            }
            // a hot journal: the kill came inside a write transaction, which SQLite rolls back on the next open
            killedMidWrite = Files.exists(journal);
            try (CheckpointStore store = CheckpointStores.sqlite(file())) {
                List<String> jobs = store.jobIds();
                assertThat(jobs).startsWith("job-0", "job-1").hasSizeBetween(2, 3);
                for (String job : jobs) {
                    List<Entry> got = store.read(job);
                    assertThat(got).as(job).hasSize(StoreProcess.BATCH);
                    assertThat(got).as(job).allMatch(e -> e.value().startsWith("value " + job.substring(4) + "/"));
                }
                store.write("job-9", entries("after", 2));
            }
            assertThat(journal).doesNotExist();
        }
        assertThat(killedMidWrite).as("one of 5 kills came during a write transaction").isTrue();
    }

    @Test
    void aFileOfGarbageIsNotACheckpointDatabase() throws Exception {
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        Files.write(file(), garbage);
        try (CheckpointStore store = CheckpointStores.sqlite(file())) {
            assertFails(() -> store.read("j"), file(), "not a checkpoint database, or corrupt");
            assertFails(() -> store.write("j", entries("x", 1)), file(), "not a checkpoint database, or corrupt");
        }
        assertThat(Files.readAllBytes(file())).as("left as it was").isEqualTo(garbage);

        Path yaml = dir.resolve("migration.yaml");
        Files.writeString(yaml, "dumper:\n  worker:\n    workMode: milvus1x\n", StandardCharsets.UTF_8);
        try (CheckpointStore store = CheckpointStores.sqlite(yaml)) {
            assertFails(store::jobIds, yaml, "not a checkpoint database, or corrupt");
        }
    }

    @Test
    void anotherProgramsDatabaseIsNotACheckpointDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + JdbcCheckpointStore.TABLE + " (id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("INSERT INTO " + JdbcCheckpointStore.TABLE + " VALUES (1, 'theirs')");
        }
        try (CheckpointStore store = CheckpointStores.sqlite(file())) {
            assertFails(() -> store.read("j"), file(), "not a checkpoint database, or corrupt");
            assertFails(() -> store.write("j", entries("x", 1)), file(), "not a checkpoint database, or corrupt");
        }
    }

    @Test
    void aTruncatedCheckpointDatabaseIsReportedCorrupt() throws Exception {
        try (CheckpointStore store = CheckpointStores.sqlite(file())) {
            for (int j = 0; j < 5; j++) {
                store.write("job-" + j, entries("x".repeat(3000), 40));
            }
        }
        long size = Files.size(file());
        assertThat(size).isGreaterThan(100_000);
        for (long cut : new long[] {size / 2, 60}) {
            try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            try (CheckpointStore store = CheckpointStores.sqlite(file())) {
                assertFails(() -> {
                    store.jobIds().forEach(store::read);
                    store.read("job-4");
                }, file(), "not a checkpoint database, or corrupt");
            }
        }
    }

    @Test
    void aMissingDirectoryOrADirectoryInTheWayIsNamed() throws Exception {
        Path missing = dir.resolve("no-such-dir/checkpoints.db");
        try (CheckpointStore store = CheckpointStores.sqlite(missing)) {
            assertFails(() -> store.write("j", entries("x", 1)), missing, "directory " + missing.getParent()
                    + " does not exist");
        }
        assertThat(missing.getParent()).doesNotExist();

        Path directory = Files.createDirectory(dir.resolve("in-the-way.db"));
        try (CheckpointStore store = CheckpointStores.sqlite(directory)) {
            assertFails(() -> store.read("j"), directory, "a directory is in the way");
        }
    }

    @Test
    @SuppressWarnings("try") // the resource only undoes what it did
    void aReadOnlyFileCanBeReadButAWriteFailsSayingReadOnly() throws Exception {
        try (CheckpointStore store = CheckpointStores.sqlite(file())) {
            store.write("j", entries("before", 3));
        }
        try (var ro = ReadOnly.of(file(), dir); CheckpointStore store = CheckpointStores.sqlite(file())) {
            // listing jobs (the CLI's "jobs") still works on a read-only file
            assertThat(store.jobIds()).containsExactly("j");
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("before", 3));
            assertFails(() -> store.write("j", entries("during", 3)), file(), "read-only", "record job j");
            assertFails(() -> store.drop("j"), file(), "read-only");
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("before", 3));
        }
        try (CheckpointStore store = CheckpointStores.sqlite(file())) {
            store.write("j", entries("after", 3));
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("after", 3));
        }
    }

    @Test
    @SuppressWarnings("try") // the resource only undoes what it did
    void aReadOnlyDirectoryStopsWritesBecauseTheJournalCannotBeCreated() throws Exception {
        try (CheckpointStore store = CheckpointStores.sqlite(file())) {
            store.write("j", entries("before", 1));
            try (var ro = ReadOnly.of(dir)) {
                assertFails(() -> store.write("j", entries("during", 2)), file(), "read-only",
                        dir.toString());
                assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("before", 1));
            }
            store.write("j", entries("after", 2));
            assertThat(store.read("j")).containsExactlyInAnyOrderElementsOf(entries("after", 2));
        }
    }

    @Test
    @SuppressWarnings("try") // the resource only undoes what it did
    void aNewFileInAReadOnlyDirectoryCannotBeCreated() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        try (var ro = ReadOnly.of(dir); CheckpointStore store = CheckpointStores.sqlite(fresh)) {
            assertFails(store::jobIds, fresh, "read-only");
        }
        assertThat(fresh).doesNotExist();
    }
}
