package io.milvus.migration.milvus2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.JobState;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationHandle;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressEvent;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.core.Jobs;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.migration.storage.S3Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Resumable runs (issue 9) against faults of the real peers: the real Milvus stopped and started again by its script
 * while imports are polled, the S3 server stopped while a group is uploaded, cancel through the handle while reading
 * and while importing, RECREATE on a resumed job, and a resumed job whose source changed. Each ends with every row
 * of the Faiss file (written by real Faiss) in the real Milvus, vectors bit for bit as Faiss reconstructs them, and
 * the collection's row count equal to the source's, so that a group imported twice fails the test.
 *
 * <p>The peers are restarted through {@code scripts/milvus-server.sh} and {@code scripts/s3-server.sh} with the
 * environment that started them (see {@link TestPeerScripts}); they are started again whatever happens. Isolated:
 * a restart would unload the collections of a class running beside it ({@code FaissToMilvusIT} runs concurrently).
 */
@Isolated
class ResumableFaultsIT {
    /** IVF_FLAT, L2, dim 24, 3000 rows in 16 inverted lists. */
    private static final String FIXTURE = "ivfflat_l2";
    /** The same schema (dim 24, L2), other rows and other list sizes: a "replaced" source file. */
    private static final String OTHER_FIXTURE = "ivfpq_residual";
    /**
     * Small files, so that the 3000 rows make 8 or 9 file groups (a vector.npy holds at most 426 rows). Not more:
     * Milvus 2.3 standalone runs one import at a time and completes each only on its next 2 s check, so every group
     * costs about 2.5 s of a test's time.
     */
    private static final long MAX_FILE_BYTES = 40 << 10;
    private static final Duration CANCEL_BOUND = Duration.ofSeconds(5);
    private static final AtomicInteger JOBS = new AtomicInteger();

    private static TestMilvus milvus;
    private static FaissFixtures.Expected expected;

    @TempDir
    Path dir;
    private final List<String> collections = new ArrayList<>();
    /** The stores of this test's jobs on the default Milvus, for {@link #settle}. */
    private final List<WatchedStore> stores = new ArrayList<>();
    private long started;

    @BeforeAll
    static void connect() {
        milvus = new TestMilvus();
        TestPeerScripts.requireMilvusRunning();
        expected = FaissFixtures.expected(FIXTURE);
    }

    @AfterAll
    static void disconnect() {
        if (milvus != null) {
            milvus.close();
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void clock() {
        started = System.nanoTime();
    }

    @AfterEach
    void dropCollections(TestInfo info) throws InterruptedException {
        for (WatchedStore store : stores) {
            settle(milvus, store);
        }
        for (String c : collections) {
            try {
                milvus.drop(c);
            } catch (RuntimeException e) {
                System.err.println("could not drop " + c + ": " + e);
            }
        }
        System.err.printf("[faults] %s took %.1f s%n", info.getDisplayName(),
                (System.nanoTime() - started) / 1e9);
    }

    // ------------------------------------------------------------------------------------------ Milvus restart

    /**
     * Milvus is stopped while the loader polls an import, and started again by its script: the run waits (the
     * client's and the loader's retries) and finishes, without importing the group twice. The stop comes when
     * Milvus has completed the job's one import in flight and the loader has not yet seen it (polls 3 s apart, one
     * import at a time); the job's checkpoint writes are held from then until the script says Milvus is back, so
     * that no import is submitted meanwhile: the loader goes on polling the stopped server, but commits and submits
     * only after the restart.
     *
     * <p>Why not stop Milvus with imports it has not completed: Milvus 2.3.5 does not carry them over a restart.
     * Pending ones are never started again; one it was running is marked "failed as service restarted" (the loader
     * submits it again) but leaves a segment behind that blocks flushes of the collection, so every later import
     * into it, until Milvus's cleanup loop removes it up to 5 minutes later; and imports submitted before the old
     * process's etcd sessions expire go to its dead data node and are lost (milvus-server.sh start waits for that).
     */
    @Test
    void milvusStoppedAndStartedWhileImportsArePolledTheRunWaitsAndFinishes() throws Exception {
        String collection = collection("restart");
        var store = store();
        try (store; var source = faiss(FaissFixtures.index(FIXTURE), collection, 16 << 10);
             var target = milvus.target().build()) {
            MigrationHandle handle = job(source, target, store, jobId("restart")).maxConcurrentImports(1)
                    .pollInterval(Duration.ofSeconds(3)).build().start();
            String task = completedButNotPolled(store);
            int committedAtStop = store.count("COMMITTED");
            long down = System.nanoTime();
            Duration stop;
            Duration start;
            try {
                stop = TestPeerScripts.milvus("stop");
                assertThat(handle.state()).as("state with Milvus stopped").isEqualTo(JobState.RUNNING);
            } finally {
                start = TestPeerScripts.milvus("start");
                store.release();
            }
            double outage = (System.nanoTime() - down) / 1e9;
            System.err.printf("[faults] Milvus restart: stop %d ms + start %d ms, outage %.1f s; import %s"
                    + " completed but not seen, %d groups committed at the stop%n", stop.toMillis(),
                    start.toMillis(), outage, task, committedAtStop);
            assertThat(handle.state()).as("state right after Milvus is back").isNotEqualTo(JobState.FAILED);

            MigrationReport report = handle.result().get(180, TimeUnit.SECONDS);

            System.err.printf("[faults] the job finished %.1f s after Milvus was back%n",
                    (System.nanoTime() - down) / 1e9 - outage);
            assertThat(handle.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(report.rowsLoaded()).isEqualTo(expected.rows().size());
            assertThat(committedAtStop).as("groups were still to import when Milvus stopped")
                    .isLessThan(store.groups() - 1);
            assertExactRows(collection);
        } finally {
            store.release();
            TestPeerScripts.milvus("start"); // nothing if it runs
        }
    }

    /**
     * Waits until Milvus has completed the job's import in flight while the job still records it as submitted, and
     * returns with the job's checkpoint writes held (so it neither commits it nor submits another); the import's id.
     */
    private static String completedButNotPolled(WatchedStore store) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            store.await("a group submitted", s -> s.count("SUBMITTED") == 1, Duration.ofSeconds(60));
            String task = store.importIds("SUBMITTED").get(0);
            String state;
            while ((state = milvus.importState(Long.parseLong(task))).equals("ImportPending")
                    || state.equals("ImportStarted") || state.equals("ImportPersisted")) {
                Thread.sleep(50);
            }
            assertThat(state).as("state of import %s", task).isEqualTo("ImportCompleted");
            store.hold();
            if (store.importIds("SUBMITTED").equals(List.of(task))) {
                return task;
            }
            store.release(); // the loader saw it first: try the next group
        }
        throw new AssertionError("no import was seen completed before the loader polled it");
    }

    // ------------------------------------------------------------------------------------------ S3 server stop

    @Test
    void s3ServerStoppedDuringAnUploadLeavesTheJobResumableAndTheSameJobCompletes() throws Exception {
        TestPeerScripts.requireS3Running();
        String collection = collection("s3stop");
        String prefix = "faults-" + ProcessHandle.current().pid() + "-" + JOBS.incrementAndGet();
        String id = jobId("s3stop");
        var store = store();
        var stoppedAt = new AtomicReference<String>();
        var stopTook = new AtomicReference<Duration>();
        try (store; var s3Milvus = new TestMilvus("MILVUS_S3_URI"); var bucket = milvusBucket();
             var target = s3Milvus.target().build()) {
            var staging = new HookedStorage(bucket, null);
            // the first upload after two groups were published waits until they are committed (nothing in
            // flight), stops the server, and goes on against the stopped server
            staging.hook(key -> {
                if (stoppedAt.get() == null && store.groups() >= 2) {
                    store.await("every published group committed", s -> s.count("COMMITTED") == s.groups(),
                            Duration.ofSeconds(60));
                    stopTook.set(TestPeerScripts.s3("stop"));
                    stoppedAt.set(key);
                }
            });
            try {
                try (var source = faiss(FaissFixtures.index(FIXTURE), collection, 16 << 10)) {
                    var first = job(source, target, store, id).staging(staging).stagingPrefix(prefix)
                            .parallelism(1);
                    long t0 = System.nanoTime();
                    assertThatThrownBy(() -> first.build().run()).isInstanceOfSatisfying(MigrationException.class,
                            e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_IO);
                                assertThat(e.getMessage()).contains(bucket.bucket(), stoppedAt.get(),
                                        "job " + id + " can be resumed");
                            });
                    System.err.printf("[faults] S3Proxy stop took %d ms, at the upload of %s; the first attempt"
                            + " failed after %.1f s%n", stopTook.get().toMillis(), stoppedAt.get(),
                            (System.nanoTime() - t0) / 1e9);
                }
                assertThat(stoppedAt.get()).as("the S3 server was stopped during an upload").isNotNull();
                var info = Jobs.get(store, id).orElseThrow();
                assertThat(info.state()).isEqualTo(JobState.FAILED.name());
                long committed = info.collections().get(0).rowsImported();
                assertThat(committed).isPositive();
                assertThat(s3Milvus.rowCount(collection)).as("the committed groups stay").isEqualTo(committed);
            } finally {
                Duration start = TestPeerScripts.s3("start");
                System.err.printf("[faults] S3Proxy start took %d ms%n", start.toMillis());
            }
            staging.hook(null);
            try (var source = faiss(FaissFixtures.index(FIXTURE), collection, 16 << 10)) {
                MigrationReport report = job(source, target, store, id).staging(staging).stagingPrefix(prefix)
                        .build().run();
                assertThat(report.rowsLoaded()).isEqualTo(expected.rows().size());
            }
            assertThat(Jobs.get(store, id).orElseThrow().attempts()).isEqualTo(2);
            assertExactRows(s3Milvus, collection);
            assertThat(bucket.list(prefix + "/")).as("staged objects are deleted after success").isEmpty();
        } finally {
            stores.remove(store);
            TestPeerScripts.s3("start");
            try (var s3Milvus = new TestMilvus("MILVUS_S3_URI")) {
                settle(s3Milvus, store);
                s3Milvus.drop(collection);
            }
            collections.remove(collection);
        }
    }

    // ------------------------------------------------------------------------------------------ cancel

    @Test
    void cancelWhileReadingStopsWithinFiveSecondsAndTheJobResumes() throws Exception {
        String collection = collection("cancel_read");
        String id = jobId("cancel-read");
        var store = store();
        var read = new AtomicLong();
        try (store; var target = milvus.target().build()) {
            // a slow source: 100 ms before each batch of about 40 rows, so reading would take some 4 s
            try (var source = new HookedSource(faiss(FaissFixtures.index(FIXTURE), collection, 16 << 10),
                    split -> Thread.sleep(100))) {
                MigrationHandle handle = job(source, target, store, id).batchBytes(4 << 10)
                        .listener(e -> read.set(e.rowsRead())).build().start();
                long waitEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (read.get() < 400 && System.nanoTime() < waitEnd) {
                    Thread.sleep(20);
                }
                assertThat(read.get()).as("rows read before the cancel").isGreaterThanOrEqualTo(400);
                assertThat(Jobs.get(store, id).orElseThrow().collections().get(0).splitsDone())
                        .as("splits read completely at the cancel").isLessThan(source.splits(
                                source.collections().get(0)).size());
                assertCancelled(handle, store);
            }
            assertResumesToExactRows(collection, id, store, target);
        }
    }

    @Test
    void cancelWhileImportingStopsWithinFiveSecondsAndTheJobResumes() throws Exception {
        String collection = collection("cancel_import");
        String id = jobId("cancel-import");
        var store = store();
        var last = new AtomicReference<ProgressEvent>();
        try (store; var target = milvus.target().build()) {
            try (var source = faiss(FaissFixtures.index(FIXTURE), collection, 16 << 10)) {
                // reading ends long before the imports do (Milvus 2.3 imports one group at a time)
                MigrationHandle handle = job(source, target, store, id).listener(last::set).build().start();
                store.await("reading done, a group submitted and groups left to import", s -> {
                    ProgressEvent e = last.get();
                    return e != null && e.splitsTotal() > 0 && e.splitsDone() == e.splitsTotal()
                            && s.count("SUBMITTED") >= 1 && s.count("COMMITTED") < s.groups() - 1;
                }, Duration.ofSeconds(60));
                assertCancelled(handle, store);
                var info = Jobs.get(store, id).orElseThrow().collections().get(0);
                assertThat(info.groupsImported()).as("groups imported at the cancel")
                        .isLessThan(info.groupsStaged());
            }
            assertResumesToExactRows(collection, id, store, target);
        }
    }

    // ------------------------------------------------------------------------------------------ RECREATE

    @Test
    void recreateActsOnlyOnTheFirstAttemptOfAJob() throws Exception {
        String collection = collection("recreate");
        String id = jobId("recreate");
        // a collection of the same name and schema holding the user's earlier rows (ids the source does not have)
        var earlierIds = new ArrayList<Long>();
        for (long i = 0; i < 100; i++) {
            earlierIds.add(1_000_000 + i);
        }
        milvus.createWithRows(collection, expected.dimension(), earlierIds);
        assertThat(milvus.rowCount(collection)).isEqualTo(100);
        long before = milvus.collectionId(collection);
        var store = store();
        try (store; var target = milvus.target().ifExists(MilvusTarget.IfExists.RECREATE).build()) {
            failFirstAttempt(collection, id, store, target, FaissFixtures.index(FIXTURE), 2);
            long recreated = milvus.collectionId(collection);
            assertThat(recreated).as("the first attempt recreates the collection").isNotEqualTo(before);
            long committed = Jobs.get(store, id).orElseThrow().collections().get(0).rowsImported();
            long staged = Jobs.get(store, id).orElseThrow().collections().get(0).rowsRead();
            assertThat(milvus.rowCount(collection)).as("rows of the groups imported (committed, or submitted before"
                    + " the failure), the earlier rows gone").isBetween(committed, staged)
                    .isLessThan(expected.rows().size());

            try (var source = faiss(FaissFixtures.index(FIXTURE), collection, 16 << 10)) {
                MigrationReport report = job(source, target, store, id).build().run();
                assertThat(report.rowsLoaded()).isEqualTo(expected.rows().size());
            }
            assertThat(milvus.collectionId(collection)).as("the resumed attempt keeps the collection")
                    .isEqualTo(recreated);
            assertExactRows(collection);
            assertThat(milvus.readAll(collection, earlierIds, "id", "vector")).as("rows from before the job")
                    .isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------ changed source

    @Test
    void resumeWithAChangedFileOrChangedSplitsIsRefusedNamingTheChange() throws Exception {
        String collection = collection("changed");
        String id = jobId("changed");
        Path file = dir.resolve("source.index");
        Files.copy(FaissFixtures.index(FIXTURE), file);
        var store = store();
        try (store; var target = milvus.target().build()) {
            failFirstAttempt(collection, id, store, target, file, 1);
            long rows = milvus.rowCount(collection);
            var before = Jobs.get(store, id).orElseThrow();
            assertThat(rows).isBetween(before.collections().get(0).rowsImported(),
                    before.collections().get(0).rowsRead()).isPositive();

            // another Faiss file at the same path: same schema, other rows
            Files.copy(FaissFixtures.index(OTHER_FIXTURE), file, StandardCopyOption.REPLACE_EXISTING);
            try (var source = faiss(file, collection, 16 << 10)) {
                assertRefused(job(source, target, store, id), id, "collection " + collection + " had ", " splits",
                        ", now ");
            }
            assertNothingImported(collection, id, store, rows, before);

            // the same file, cut with another splitBytes
            Files.copy(FaissFixtures.index(FIXTURE), file, StandardCopyOption.REPLACE_EXISTING);
            try (var source = faiss(file, collection, 8 << 10)) {
                assertRefused(job(source, target, store, id), id, "collection " + collection + " had ",
                        " splits", ", now ");
            }
            assertNothingImported(collection, id, store, rows, before);

            // what changed restored: the job goes on
            try (var source = faiss(file, collection, 16 << 10)) {
                MigrationReport report = job(source, target, store, id).build().run();
                assertThat(report.rowsLoaded()).isEqualTo(expected.rows().size());
            }
            assertExactRows(collection);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private WatchedStore store() {
        var store = new WatchedStore(CheckpointStores.sqlite(dir.resolve("jobs.db")));
        stores.add(store);
        return store;
    }

    /**
     * Waits (at most 60 s) until Milvus has finished every import a job left submitted: Milvus 2.3 keeps its one
     * data node busy with an import whose collection is dropped for up to a minute, which would stall the next test.
     */
    private static void settle(TestMilvus m, WatchedStore store) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String task : store.importIds("SUBMITTED")) {
            while (System.nanoTime() < end && List.of("ImportPending", "ImportStarted", "ImportPersisted")
                    .contains(m.importState(Long.parseLong(task)))) {
                Thread.sleep(50);
            }
        }
    }

    private String collection(String base) {
        String name = TestMilvus.uniqueName("faults_" + base);
        collections.add(name);
        return name;
    }

    private static String jobId(String base) {
        return "faults-" + base + "-" + ProcessHandle.current().pid() + "-" + JOBS.incrementAndGet();
    }

    private static FaissSource faiss(Path file, String collection, long splitBytes) {
        return FaissSource.builder().file(file).collection(collection).splitBytes(splitBytes).build();
    }

    private Migration.Builder job(Source source, MilvusTarget target, WatchedStore store, String id) {
        return Migration.builder().source(source).target(target).staging(LocalStorage.at(dir.resolve("staging")))
                .jobId(id).checkpoints(store).maxFileBytes(MAX_FILE_BYTES);
    }

    private static S3Storage milvusBucket() {
        assertThat(env("S3_BUCKET")).as("the S3 server's bucket is the S3-mode Milvus's")
                .isEqualTo(env("MILVUS_S3_BUCKET"));
        return S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(env("S3_ENDPOINT")).bucket(env("S3_BUCKET"))
                .credentials(env("S3_ACCESS_KEY"), env("S3_SECRET_KEY")).checkBucket(true).build();
    }

    /**
     * A first attempt whose source fails (a read error, as from a failing disk) once {@code committedGroups} groups
     * are committed; reading on one thread, so that the failure comes after those groups and before the rest.
     */
    private void failFirstAttempt(String collection, String id, WatchedStore store, MilvusTarget target, Path file,
                                  int committedGroups) throws Exception {
        try (var source = new HookedSource(faiss(file, collection, 16 << 10), split -> {
            if (store.groups() > committedGroups) {
                store.await(committedGroups + " groups committed", s -> s.count("COMMITTED") >= committedGroups,
                        Duration.ofSeconds(60));
                throw new MigrationException(ErrorCode.SOURCE_IO, "read error (made by the test)");
            }
        })) {
            assertThatThrownBy(() -> job(source, target, store, id).parallelism(1).build().run())
                    .isInstanceOfSatisfying(MigrationException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO);
                        assertThat(e.getMessage()).contains("read error (made by the test)",
                                "job " + id + " can be resumed");
                    });
        }
        assertThat(Jobs.get(store, id).orElseThrow().state()).isEqualTo(JobState.FAILED.name());
        // imports submitted before the failure stay with Milvus (the resumed job waits for them): let them end, so
        // that the row count stands still
        settle(milvus, store);
    }

    private static void assertRefused(Migration.Builder job, String id, String... named) {
        assertThatThrownBy(() -> job.build().run()).isInstanceOfSatisfying(MigrationException.class, e -> {
            System.err.println("[faults] refused: " + e.getMessage());
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
            assertThat(e.getMessage()).contains("job " + id + " cannot be resumed").contains(named)
                    .doesNotContain("can be resumed");
        });
    }

    private static void assertNothingImported(String collection, String id, WatchedStore store, long rows,
                                              Jobs.Info before) {
        assertThat(milvus.rowCount(collection)).as("rows after the refused attempt").isEqualTo(rows);
        var after = Jobs.get(store, id).orElseThrow();
        assertThat(after.collections()).as("the job's collections after the refused attempt")
                .isEqualTo(before.collections());
        assertThat(after.attempts()).isEqualTo(before.attempts());
    }

    /** Cancels, and checks that the job stops in time, CANCELLED, with no thread of its own left. */
    private static void assertCancelled(MigrationHandle handle, WatchedStore store) throws Exception {
        String milvusBefore = TestPeerScripts.milvusStatus();
        long t0 = System.nanoTime();
        handle.cancel();
        CompletableFuture<MigrationReport> result = handle.result();
        try {
            result.get(CANCEL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            fail("the cancelled job succeeded");
        } catch (TimeoutException e) {
            fail("the cancelled job did not stop within " + CANCEL_BOUND);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(MigrationException.class,
                    me -> assertThat(me.code()).isEqualTo(ErrorCode.INTERRUPTED));
        }
        double stopped = (System.nanoTime() - t0) / 1e9;
        assertThat(handle.state()).isEqualTo(JobState.CANCELLED);
        // the job's own thread completes the result as its last step; the rest are joined before
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        List<String> left;
        while (!(left = migrationThreads()).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(left).as("threads of the migration still alive after it stopped").isEmpty();
        System.err.printf("[faults] cancelled job %s stopped %.2f s after cancel()%n", handle.id(), stopped);
        assertThat(Jobs.get(store, handle.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED.name());
        // Milvus 2.3.5 crashes when a client cancels its GetImportState call: the cancel must not have done that
        Thread.sleep(500);
        assertThat(TestPeerScripts.milvusStatus()).as("Milvus after the cancel: the same process, serving")
                .isEqualTo(milvusBefore).startsWith("running");
    }

    private static List<String> migrationThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("migration-")).sorted().toList();
    }

    private void assertResumesToExactRows(String collection, String id, WatchedStore store, MilvusTarget target) {
        try (var source = faiss(FaissFixtures.index(FIXTURE), collection, 16 << 10)) {
            MigrationReport report = job(source, target, store, id).build().run();
            assertThat(report.rowsLoaded()).isEqualTo(expected.rows().size());
        }
        var info = Jobs.get(store, id).orElseThrow();
        assertThat(info.state()).isEqualTo(JobState.SUCCEEDED.name());
        assertThat(info.attempts()).isEqualTo(2);
        assertExactRows(collection);
    }

    private static void assertExactRows(String collection) {
        assertExactRows(milvus, collection);
    }

    /** Every source id once, with Faiss's bits; the row count (which counts duplicates) equal to the source's. */
    private static void assertExactRows(TestMilvus m, String collection) {
        assertThat(m.rowCount(collection)).as("rows in %s", collection).isEqualTo(expected.rows().size());
        Map<Long, float[]> got = m.readAll(collection, expected.rows().keySet(), "id", "vector");
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.rows().keySet());
        got.forEach((id, vector) -> assertThat(expected.sameBits(id, vector))
                .as("vector of id %d is Faiss's reconstruct output bit for bit", id).isTrue());
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start scripts/s3-server.sh and the S3-mode "
                    + "scripts/milvus-server.sh (MILVUS_STORAGE=s3) and export their env; see scripts/test.sh");
        }
        return v;
    }
}
