package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine side of an external scheduler (the Spark runner): tasks and outputs go through Java serialization,
 * attempts that are not reported are never imported, a second report of a split is ignored, and a driver that
 * stops resumes from the checkpoint store without reading a reported split again.
 */
class DistributedRunTest {
    @TempDir
    Path tmp;

    private static MemorySource source() {
        return new MemorySource(8, 250, 250, 250, 250, 250, 250);
    }

    private Migration.Builder migration(MemorySource source, MemoryTarget target) {
        return Migration.builder().source(source).target(target).staging(new DirStorage(tmp, true))
                .batchBytes(1200).maxFileBytes(3000).pollInterval(Duration.ofMillis(1));
    }

    @SuppressWarnings("unchecked")
    private static <T> T shipped(T value) {
        try {
            var bytes = new ByteArrayOutputStream();
            try (var out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (Exception e) {
            throw new AssertionError("not serializable: " + value, e);
        }
    }

    private static void assertExactly(MemorySource source, MemoryTarget target) {
        var seen = new HashMap<Long, float[]>();
        for (MemoryTarget.Row r : target.rows("items")) {
            assertThat(seen.put(r.id(), r.vector())).as("row %d arrived twice", r.id()).isNull();
        }
        assertThat(seen.keySet()).isEqualTo(source.rows.keySet());
    }

    @Test
    void onlyTheReportedAttemptIsImportedAndASecondReportIsIgnored() throws Exception {
        var source = source();
        var target = new MemoryTarget(true);
        Migration m = migration(source, target).build();
        MigrationReport report = DistributedRun.run(m, (tasks, reports) -> {
            for (var task : tasks) {
                var t = shipped(task);
                DistributedRun.writeSplit(m, t, "lost-1"); // an attempt whose output never reaches the driver
                var out = shipped(DistributedRun.writeSplit(m, t, "won-2"));
                reports.report(out);
                reports.report(out);
            }
        });

        assertExactly(source, target);
        assertThat(report.rowsLoaded()).isEqualTo(1500);
        try (Stream<Path> left = Files.walk(tmp)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("every attempt's files deleted").isEmpty();
        }
    }

    @Test
    void aStoppedDriverResumesWithTheSplitsNotReported() {
        var source = source();
        var target = new MemoryTarget(true);
        var store = new DurableMemoryStore();
        Migration m = migration(source, target).jobId("distributed").checkpoints(store).build();
        assertThatThrownBy(() -> DistributedRun.run(m, (tasks, reports) -> {
            for (int i = 0; i < 3; i++) {
                reports.report(DistributedRun.writeSplit(m, tasks.get(i), "a"));
            }
            throw new IllegalStateException("driver lost");
        })).isInstanceOf(MigrationException.class).hasMessageContaining("can be resumed");

        var second = new java.util.ArrayList<String>();
        MigrationReport report = DistributedRun.run(m, (tasks, reports) -> {
            for (var t : tasks) {
                second.add(t.split().id());
                reports.report(DistributedRun.writeSplit(m, t, "b"));
            }
        });

        assertThat(second).hasSize(3);
        assertExactly(source, target);
        assertThat(report.rowsLoaded()).isEqualTo(1500);
    }

    @Test
    void aSchedulerThatLeavesSplitsUnreportedFailsTheJob() {
        var target = new MemoryTarget(true);
        Migration m = migration(source(), target).build();
        assertThatThrownBy(() -> DistributedRun.run(m, (tasks, reports) -> reports.report(
                DistributedRun.writeSplit(m, tasks.get(0), "a"))))
                .isInstanceOf(MigrationException.class).hasMessageContaining("5 splits of items not reported");
        assertThatThrownBy(() -> target.rows("items")).as("the collection it created is dropped")
                .isInstanceOf(NullPointerException.class);
    }
}
