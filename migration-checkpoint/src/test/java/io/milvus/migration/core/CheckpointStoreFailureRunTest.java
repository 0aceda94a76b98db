package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.checkpoint.ReadOnly;
import io.milvus.migration.checkpoint.Stores;
import io.milvus.migration.spi.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs through the engine whose real SQLite checkpoint file fails partway (locked by another connection, made
 * read-only) or is unusable from the start (corrupt, read-only): the run fails with CHECKPOINT_IO naming the file,
 * the job state that {@link Jobs#get} shows is consistent with what the target holds, and once the cause is gone the
 * same job ends with every source row in the target exactly once.
 */
class CheckpointStoreFailureRunTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);
    static final int ROWS = 1500;

    @TempDir
    Path tmp;

    /** 6 splits of 250 rows, dimension 8, cut into some 10 file groups (each write to SQLite syncs the disk). */
    static MemorySource source() {
        return new MemorySource(8, 250, 250, 250, 250, 250, 250);
    }

    static Migration migration(MemorySource source, MemoryTarget target, Path staging, CheckpointStore store) {
        return Migration.builder().source(source).target(target).staging(new DirStorage(staging, true))
                .parallelism(3).batchBytes(1200).maxFileBytes(6000).pollInterval(Duration.ofMillis(1))
                .maxConcurrentImports(2).jobId("job").checkpoints(store).build();
    }

    static void assertExactlyOnce(MemorySource source, MemoryTarget target) {
        var seen = new HashMap<Long, float[]>();
        for (MemoryTarget.Row r : target.rows("items")) {
            assertThat(seen.put(r.id(), r.vector())).as("row %d arrived twice", r.id()).isNull();
        }
        assertThat(seen.keySet()).as("every row, none missing").isEqualTo(source.rows.keySet());
        source.rows.forEach((id, v) -> assertThat(seen.get(id)).as("vector of %d", id).containsExactly(v));
    }

    /** The real store, with {@code breakIt} run just before its {@code at}-th write (from 1). */
    static final class BreakingStore implements CheckpointStore {
        final CheckpointStore real;
        private final int at;
        private final Runnable breakIt;
        final AtomicInteger writes = new AtomicInteger();

        BreakingStore(CheckpointStore real, int at, Runnable breakIt) {
            this.real = real;
            this.at = at;
            this.breakIt = breakIt;
        }

        @Override
        public String describe() {
            return real.describe();
        }

        @Override
        public List<Entry> read(String jobId) {
            return real.read(jobId);
        }

        @Override
        public List<String> jobIds() {
            return real.jobIds();
        }

        @Override
        public void write(String jobId, List<Entry> entries) {
            if (writes.incrementAndGet() == at) {
                breakIt.run();
            }
            real.write(jobId, entries);
        }

        @Override
        public void drop(String jobId) {
            real.drop(jobId);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    /** Store writes of a whole job: each one a place where the store can fail. */
    private int writesOfAWholeJob() {
        long t0 = System.nanoTime();
        Path file = tmp.resolve("count.db");
        try (var store = new BreakingStore(CheckpointStores.sqlite(file), -1, () -> { })) {
            var source = source();
            var target = new MemoryTarget(true);
            migration(source, target, tmp.resolve("count"), store).run();
            assertExactlyOnce(source, target);
            DefaultMigrationEngine.LOG.info("a whole job: {} store writes, {} ms", store.writes.get(),
                    (System.nanoTime() - t0) / 1_000_000);
            return store.writes.get();
        }
    }

    /**
     * What Jobs.get says after the failure agrees with the target: rows of groups recorded as imported are there,
     * and the target holds nothing that was not recorded as staged first.
     */
    static void assertConsistent(CheckpointStore store, MemoryTarget target, String at) {
        Jobs.Info info = Jobs.get(store, "job").orElseThrow();
        assertThat(info.state()).as(at).isIn("RUNNING", "FAILED");
        assertThat(info.attempts()).as(at).isEqualTo(1);
        Jobs.CollectionInfo c = info.collections().get(0);
        long inTarget = target.collections.containsKey("items") ? target.rows("items").size() : 0;
        assertThat(c.rowsImported()).as(at + ": rows recorded as imported are in the target")
                .isLessThanOrEqualTo(inTarget);
        assertThat(inTarget).as(at + ": the target holds only rows recorded as read first")
                .isLessThanOrEqualTo(c.rowsRead());
        assertThat(c.groupsImported()).as(at).isLessThanOrEqualTo(c.groupsStaged());
        assertThat(c.splitsDone()).as(at).isLessThanOrEqualTo(c.splitsTotal());
        if (c.completed()) {
            // only the job's own final record was lost: the collection was checked complete before
            assertThat(c.rowsImported()).as(at).isEqualTo(ROWS);
            assertThat(inTarget).as(at).isEqualTo(ROWS);
        }
    }

    @Test
    void aFileLockedByAnotherConnectionPartwayFailsTheJobWhichThenResumesWithoutDuplicates() throws Exception {
        int writes = writesOfAWholeJob();
        assertThat(writes).isGreaterThan(30);
        // early (planning), while reading and importing, and at the last records of the job
        // (how many writes a job makes varies by a few with how the workers interleave: keep clear of the end)
        for (int at : new int[] {1, 2, writes / 3, 2 * writes / 3, writes - 8}) {
            Path file = tmp.resolve("locked-" + at + ".db");
            var source = source();
            var target = new MemoryTarget(true);
            var holder = new Connection[1];
            var store = new BreakingStore(Stores.sqlite(file, LOCK_TIMEOUT), at, () -> {
                try {
                    holder[0] = DriverManager.getConnection("jdbc:sqlite:" + file);
                    try (Statement st = holder[0].createStatement()) {
                        st.execute("BEGIN EXCLUSIVE");
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Migration m = migration(source, target, tmp.resolve("staging-" + at), store);
            String during = "locked at write " + at + " of " + writes;
            assertThatThrownBy(m::run).as(during)
                    .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.CHECKPOINT_IO))
                    .hasMessageContaining("sqlite:" + file).hasMessageContaining("locked")
                    .hasMessageContaining("job job can be resumed");
            // while the lock is held, asking for the job fails clearly too
            assertThatThrownBy(() -> Jobs.get(store, "job")).as(during)
                    .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.CHECKPOINT_IO)).hasMessageContaining("locked");
            holder[0].close();

            if (at > 1) {
                assertConsistent(store, target, during);
            } else {
                assertThat(Jobs.get(store, "job")).as("nothing recorded").isEmpty();
                assertThat(target.submits.get()).isZero();
            }
            var report = m.run();
            assertThat(report.rowsLoaded()).as(during).isEqualTo(ROWS);
            assertExactlyOnce(source, target);
            Jobs.Info info = Jobs.get(store, "job").orElseThrow();
            assertThat(info.state()).as(during).isEqualTo("SUCCEEDED");
            assertThat(info.collections().get(0).rowsImported()).as(during).isEqualTo(ROWS);
            store.close();
        }
    }

    @Test
    void aFileMadeReadOnlyPartwayFailsTheJobWhichThenResumesWithoutDuplicates() throws Exception {
        int writes = writesOfAWholeJob();
        for (int at : new int[] {3, writes / 2}) {
            Path dir = Files.createDirectory(tmp.resolve("ro-" + at));
            Path file = dir.resolve("checkpoints.db");
            var source = source();
            var target = new MemoryTarget(true);
            var readOnly = new ReadOnly[1];
            var store = new BreakingStore(CheckpointStores.sqlite(file), at, () -> {
                try {
                    readOnly[0] = ReadOnly.of(file, dir);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Migration m = migration(source, target, tmp.resolve("staging-ro-" + at), store);
            String during = "read-only from write " + at + " of " + writes;
            try {
                assertThatThrownBy(m::run).as(during)
                        .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                                .isEqualTo(ErrorCode.CHECKPOINT_IO))
                        .hasMessageContaining("sqlite:" + file).hasMessageContaining("read-only")
                        .hasMessageContaining("job job can be resumed");
                // a read-only file still tells the job's state
                assertConsistent(store, target, during);
            } finally {
                readOnly[0].close();
            }
            assertThat(m.run().rowsLoaded()).as(during).isEqualTo(ROWS);
            assertExactlyOnce(source, target);
            assertThat(Jobs.get(store, "job").orElseThrow().state()).as(during).isEqualTo("SUCCEEDED");
            store.close();
        }
    }

    @Test
    void aCorruptFileStopsTheJobBeforeAnythingIsImported() throws Exception {
        Path file = tmp.resolve("corrupt.db");
        byte[] garbage = new byte[4096];
        new java.util.Random(3).nextBytes(garbage);
        Files.write(file, garbage);
        var target = new MemoryTarget(true);
        try (CheckpointStore store = CheckpointStores.sqlite(file)) {
            assertThatThrownBy(() -> migration(source(), target, tmp.resolve("staging"), store).run())
                    .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.CHECKPOINT_IO))
                    .hasMessageContaining("sqlite:" + file).hasMessageContaining("not a checkpoint database, or"
                            + " corrupt");
        }
        assertThat(target.submits.get()).isZero();
        assertThat(target.collections).isEmpty();
        assertThat(Files.readAllBytes(file)).as("left as it was").isEqualTo(garbage);
    }
}
