package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.JobState;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationHandle;
import io.milvus.migration.ProgressEvent;
import io.milvus.migration.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's job state machine and loader against an in-memory target double: pipelining, bounds, retries,
 * cancel, and a crash at every step of a job followed by a resume, which must neither lose nor duplicate a row.
 */
class ResumableRunTest {
    @TempDir
    Path tmp;

    /** 12 splits of 250 rows, dimension 8: ~100 KB of rows, ~40 file groups at 3 KB. */
    private static MemorySource source() {
        return new MemorySource(8, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250);
    }

    private Migration.Builder migration(MemorySource source, MemoryTarget target, Path staging) {
        return Migration.builder().source(source).target(target).staging(new DirStorage(staging, true))
                .parallelism(3).batchBytes(1200).maxFileBytes(3000).pollInterval(Duration.ofMillis(1))
                .maxConcurrentImports(2);
    }

    private static void assertExactly(MemorySource source, MemoryTarget target) {
        List<MemoryTarget.Row> rows = target.rows("items");
        var seen = new HashMap<Long, float[]>();
        for (MemoryTarget.Row r : rows) {
            assertThat(seen.put(r.id(), r.vector())).as("row %d arrived twice", r.id()).isNull();
        }
        assertThat(seen.keySet()).isEqualTo(source.rows.keySet());
        source.rows.forEach((id, v) -> assertThat(seen.get(id)).as("vector of %d", id).containsExactly(v));
    }

    @Test
    void importsStartWhileReadingGoesOnAndStayWithinTheirLimit() {
        var source = source();
        var target = new MemoryTarget(true);
        var events = Collections.synchronizedList(new ArrayList<ProgressEvent>());
        // reading at 10 ms a batch takes far longer than an import of the double (two polls)
        var report = migration(source, target, tmp).source(new SlowSource(source, 10)).listener(events::add).build()
                .run();

        assertExactly(source, target);
        assertThat(report.rowsRead()).isEqualTo(3000);
        assertThat(report.rowsLoaded()).isEqualTo(3000);
        assertThat(target.maxRunning.get()).isBetween(1, 2);
        int firstImport = indexOf(events, e -> e.stage() == ProgressEvent.Stage.IMPORT && e.groupsImported() > 0);
        int lastRead = lastIndexOf(events, e -> e.stage() == ProgressEvent.Stage.READ);
        assertThat(firstImport).as("a group was imported before the last batch was read").isBetween(0, lastRead);
        ProgressEvent done = events.get(events.size() - 1);
        assertThat(done.stage()).isEqualTo(ProgressEvent.Stage.DONE);
        assertThat(done.rowsDone()).isEqualTo(3000);
        assertThat(done.jobId()).startsWith("run-");
        assertThat(done.splitsDone()).isEqualTo(12);
        try (Stream<Path> left = Files.walk(tmp)) {
            assertThat(left.filter(Files::isRegularFile)).as("staged files are deleted").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(tmp.toFile().list()).as("no empty run directory is left").isEmpty();
    }

    @Test
    void aTransformThatDropsRowsLoadsTheRestAndCountsThem() {
        var source = source();
        var target = new MemoryTarget(true);
        var report = migration(source, target, tmp)
                .transform(io.milvus.migration.Transforms.filterRows(row -> (Long) row.get("id") % 3 != 0)).build()
                .run();

        var kept = new java.util.TreeSet<Long>();
        source.rows.keySet().stream().filter(id -> id % 3 != 0).forEach(kept::add);
        assertThat(target.rows("items")).extracting(MemoryTarget.Row::id).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(report.rowsRead()).as("rows after transforms").isEqualTo(kept.size());
        assertThat(report.rowsLoaded()).isEqualTo(kept.size());
    }

    @Test
    void stagingHoldsNoMoreThanTheBoundAllows() throws IOException {
        var source = source();
        var target = new MemoryTarget(true);
        target.pollsToComplete = 5;
        var peak = new AtomicLong();
        long bound = 8_000;
        ProgressListener sample = e -> peak.accumulateAndGet(bytesUnder(tmp), Math::max);
        migration(source, target, tmp).maxStagedBytes(bound).listener(sample).build().run();

        assertExactly(source, target);
        // the bound, plus one batch per worker written while the last group waited for room
        assertThat(peak.get()).isGreaterThan(0).isLessThanOrEqualTo(bound + 3 * 1200);
    }

    @Test
    void aCrashAtAnyStepThenAResumeLosesNothingAndDuplicatesNothing() {
        // how many steps a whole job has: each one is a place to crash
        var counter = new AtomicInteger();
        {
            var target = new MemoryTarget(true).fault(s -> counter.incrementAndGet());
            var store = new DurableMemoryStore().beforeWrite(k -> counter.incrementAndGet());
            migration(source(), target, tmp.resolve("count")).jobId("job").checkpoints(store).build().run();
        }
        int steps = counter.get();
        assertThat(steps).isGreaterThan(100);
        for (int crashAt = Integer.getInteger("crashFrom", 1); crashAt <= Integer.getInteger("crashTo", steps); crashAt += 4) {
            var source = source();
            var calls = new AtomicInteger();
            int at = crashAt;
            Runnable step = () -> {
                if (calls.incrementAndGet() == at) {
                    throw new IllegalStateException("crash at step " + at);
                }
            };
            var target = new MemoryTarget(true).fault(s -> step.run());
            var store = new DurableMemoryStore().beforeWrite(k -> step.run());
            Path staging = tmp.resolve("crash-" + crashAt);
            var m = migration(source, target, staging).jobId("job").checkpoints(store).build();
            try {
                m.run();
            } catch (MigrationException e) {
                assertThat(e.getMessage()).as("crash at %d", at).contains("can be resumed");
            }
            calls.set(Integer.MIN_VALUE); // no more crashes
            var report = m.run();
            assertThat(report.rowsLoaded()).as("crash at %d", at).isEqualTo(3000);
            assertExactly(source, target);
            assertThat(Jobs.get(store, "job").orElseThrow().state()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void insertsResumeAfterACrashWithoutDuplicates() {
        for (int crashAt : new int[] {5, 17, 40, 63}) {
            var source = source();
            var calls = new AtomicInteger();
            Runnable step = () -> {
                if (calls.incrementAndGet() == crashAt) {
                    throw new IllegalStateException("crash at step " + crashAt);
                }
            };
            var target = new MemoryTarget(false).fault(s -> step.run());
            var store = new DurableMemoryStore().beforeWrite(k -> step.run());
            var m = Migration.builder().source(source).target(target).parallelism(2).batchBytes(1200)
                    .jobId("ins").checkpoints(store).build();
            assertThatThrownBy(m::run).isInstanceOf(MigrationException.class);
            calls.set(Integer.MIN_VALUE);
            m.run();
            assertExactly(source, target);
        }
    }

    @Test
    void resumingReadsOnlyWhatWasNotStagedBefore() {
        var source = source();
        var target = new MemoryTarget(true);
        var commits = new AtomicInteger();
        var store = new DurableMemoryStore().beforeWrite(k -> {
            if (k.equals("group") && commits.incrementAndGet() == 60) {
                throw new IllegalStateException("crash");
            }
        });
        var m = migration(source, target, tmp).jobId("half").checkpoints(store).build();
        assertThatThrownBy(m::run).isInstanceOf(MigrationException.class).hasMessageContaining("crash");
        int openedFirst = source.opened.get();
        var info = Jobs.get(store, "half").orElseThrow();
        assertThat(info.state()).isEqualTo("FAILED");
        int doneBefore = info.collections().get(0).splitsDone();
        assertThat(doneBefore).isGreaterThan(0);

        store.beforeWrite(k -> { });
        m.run();
        assertExactly(source, target);
        assertThat(source.opened.get() - openedFirst).as("splits opened again").isEqualTo(12 - doneBefore);
    }

    @Test
    void transientFailuresOfTheTargetAreTriedAgain() {
        var source = source();
        var unavailable = new AtomicInteger();
        var target = new MemoryTarget(true).fault(s -> {
            if ((s.equals("status") || s.equals("submit")) && unavailable.incrementAndGet() % 4 == 1) {
                throw new MigrationException(ErrorCode.TARGET_UNAVAILABLE, "Milvus is restarting");
            }
        });
        target.failOnce.add(3);
        migration(source, target, tmp).retries(3).build().run();
        assertExactly(source, target);
        assertThat(unavailable.get()).isGreaterThan(10);
    }

    @Test
    void resumingAfterTheSourceChangedIsRefusedNamingTheChange() {
        var target = new MemoryTarget(true);
        var store = new DurableMemoryStore();
        var crash = new AtomicInteger();
        target.fault(s -> {
            if (s.equals("status") && crash.incrementAndGet() == 3) {
                throw new IllegalStateException("crash");
            }
        });
        assertThatThrownBy(() -> migration(source(), target, tmp).jobId("j").checkpoints(store).build().run())
                .isInstanceOf(MigrationException.class);
        var changed = new MemorySource(8, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 300);
        assertThatThrownBy(() -> migration(changed, target, tmp).jobId("j").checkpoints(store).build().run())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("split-11").hasMessageContaining("250 rows").hasMessageContaining("300 rows");
        var resplit = new MemorySource(8, 500, 500, 500, 500, 500, 500);
        assertThatThrownBy(() -> migration(resplit, target, tmp).jobId("j").checkpoints(store).build().run())
                .hasMessageContaining("had 12 splits").hasMessageContaining("now 6");
    }

    @Test
    void cancelStopsReadingAndImportsAndTheJobResumes() throws Exception {
        var source = new SlowSource(source(), 20);
        var target = new MemoryTarget(true);
        var store = new DurableMemoryStore();
        var staged = new java.util.concurrent.CountDownLatch(3);
        var m = migration(source.inner, target, tmp).source(source).jobId("c").checkpoints(store)
                .listener(e -> {
                    if (e.stage() == ProgressEvent.Stage.STAGE) {
                        staged.countDown();
                    }
                }).build();
        MigrationHandle handle = m.start();
        assertThat(handle.id()).isEqualTo("c");
        assertThat(staged.await(10, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        handle.cancel();
        assertThatThrownBy(() -> handle.result().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(MigrationException.class)
                .cause().hasMessageContaining("cancelled").hasMessageContaining("can be resumed");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(handle.state()).isEqualTo(JobState.CANCELLED);
        assertThat(liveThreads("migration-")).as("no worker or loader left running").isEmpty();
        assertThat(Jobs.get(store, "c").orElseThrow().state()).isEqualTo("CANCELLED");

        m.run();
        assertExactly(source.inner, target);
    }

    @Test
    void withoutAJobIdAFailedRunDropsTheCollectionItCreated() {
        var source = source().failing("split-7", 100, MemorySource.formatError("bad bytes"));
        var target = new MemoryTarget(true);
        assertThatThrownBy(() -> migration(source, target, tmp).build().run())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.SOURCE_FORMAT));
        assertThat(target.collections).isEmpty();

        var store = new DurableMemoryStore();
        var kept = source().failing("split-7", 100, MemorySource.formatError("bad bytes"));
        assertThatThrownBy(() -> migration(kept, target, tmp).jobId("k").checkpoints(store).build().run())
                .hasMessageContaining("job k can be resumed");
        assertThat(target.collections).containsKey("items");
    }

    @Test
    void rowsAddedBesideTheJobFailTheCountCheck() {
        var source = source();
        var target = new MemoryTarget(true);
        var once = new AtomicInteger();
        target.fault(s -> {
            if (s.equals("count") && once.incrementAndGet() == 1) {
                // a duplicate import, or someone else's insert, lands while the job runs
                synchronized (target) {
                    target.collections.get("items").rows.add(new MemoryTarget.Row(1, new float[8]));
                }
            }
        });
        assertThatThrownBy(() -> migration(source, target, tmp).build().run())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.COUNT_MISMATCH))
                .hasMessageContaining("3001").hasMessageContaining("expected 3000");
    }

    @Test
    void aSucceededJobRunAgainDoesNothing() {
        var source = source();
        var target = new MemoryTarget(true);
        var store = new DurableMemoryStore();
        migration(source, target, tmp).jobId("once").checkpoints(store).build().run();
        int submits = target.submits.get();
        var again = migration(source, target, tmp).jobId("once").checkpoints(store).build().run();
        assertThat(again.rowsLoaded()).isEqualTo(3000);
        assertThat(target.submits.get()).isEqualTo(submits);
        assertExactly(source, target);
    }

    @Test
    void runIsStartThenJoinAndThrowsTheFailureItself() {
        var target = new MemoryTarget(true);
        var m = migration(source().failing("split-0", 0, MemorySource.formatError("bad")), target, tmp).build();
        assertThatThrownBy(m::run).isInstanceOf(MigrationException.class).isNotInstanceOf(CompletionException.class);
    }

    @Test
    void aRunThatKeepsItsFilesWritesAManifestThatLoadImportsElsewhere() {
        var source = source();
        var first = new MemoryTarget(true);
        var report = migration(source, first, tmp).keepStagedFiles(true).jobId("kept")
                .checkpoints(new DurableMemoryStore()).build().run();
        assertThat(tmp.resolve("migration/kept/manifest.json")).exists();
        assertThat(report.staging()).endsWith("migration/kept");

        var second = new MemoryTarget(true);
        var loaded = Migration.builder().target(second).staging(new DirStorage(tmp, true))
                .stagingPrefix("migration/kept").pollInterval(Duration.ofMillis(1)).build().load();
        assertThat(loaded.rowsLoaded()).isEqualTo(3000);
        assertExactly(source, second);
    }

    private static List<String> liveThreads(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<String> names;
        do {
            names = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                    .map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
            if (names.isEmpty()) {
                return names;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return names;
    }

    private static long bytesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static int indexOf(List<ProgressEvent> events, java.util.function.Predicate<ProgressEvent> p) {
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) {
                if (p.test(events.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<ProgressEvent> events, java.util.function.Predicate<ProgressEvent> p) {
        synchronized (events) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (p.test(events.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** A source whose readers pause on every batch, so that a job runs long enough to be cancelled. */
    private static final class SlowSource implements io.milvus.migration.spi.Source {
        final MemorySource inner;
        private final long pauseMillis;

        SlowSource(MemorySource inner, long pauseMillis) {
            this.inner = inner;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public List<SourceCollection> collections() {
            return inner.collections();
        }

        @Override
        public List<io.milvus.migration.spi.Split> splits(SourceCollection c) {
            return inner.splits(c);
        }

        @Override
        public io.milvus.migration.spi.SplitReader open(io.milvus.migration.spi.Split split) {
            return open(split, io.milvus.migration.spi.Position.start(split.id()));
        }

        @Override
        public io.milvus.migration.spi.SplitReader open(io.milvus.migration.spi.Split split,
                                                        io.milvus.migration.spi.Position from) {
            var r = inner.open(split, from);
            return new io.milvus.migration.spi.SplitReader() {
                @Override
                public java.util.Optional<io.milvus.migration.spi.Batch> next(int maxRows) {
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new MigrationException(ErrorCode.INTERRUPTED, "interrupted");
                    }
                    return r.next(maxRows);
                }

                @Override
                public void close() {
                    r.close();
                }
            };
        }

        @Override
        public void close() {
        }
    }

}
