package io.milvus.migration.spark;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressEvent;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.faiss.FaissSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark of {@code scripts/bench-spark.sh}: one Faiss IVF file migrated into the S3-backed Milvus, staged in
 * its bucket, first in this JVM ({@code Migration.run()}) and then on Spark, with the time each stage began. Not a
 * test: a timing on a shared 2-core machine says how much Spark costs, not how it scales.
 *
 * <p>args: INDEX MASTER; env as for the ITs (S3_ENDPOINT, MILVUS_S3_URI, MILVUS_S3_BUCKET, AWS_*).
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws Exception {
        String index = args[0];
        String master = args[1];
        long rows;
        try (var s = FaissSource.builder().file(Path.of(index)).build()) {
            rows = s.collections().get(0).estimatedRows();
        }
        System.out.printf(Locale.ROOT, "bench-spark: %s, %d rows, %.1f MB; Spark master %s; load average %s%n",
                index, rows, Files.size(Path.of(index)) / 1e6, master, load());
        var client = Peers.client();
        try {
            String local = "bench_spark_single";
            Peers.drop(client, local);
            var stages = new Stages();
            long t0 = System.nanoTime();
            MigrationReport r = bench(index, local).listener(stages).build().run();
            report("single JVM", r, (System.nanoTime() - t0) / 1e9, stages);
            Peers.drop(client, local);

            String spark = "bench_spark_cluster";
            Peers.drop(client, spark);
            long s0 = System.nanoTime();
            SparkSession session = Runs.session(master, Map.of(
                    "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                    "spark.executor.memory", "2g",
                    "spark.executor.extraJavaOptions",
                    "-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider"));
            // wait for the executors, so that their start is reported apart from the migration
            var jsc = new org.apache.spark.api.java.JavaSparkContext(session.sparkContext());
            jsc.parallelize(java.util.List.of(1, 2), 2).count();
            double startup = (System.nanoTime() - s0) / 1e9;
            System.out.printf(Locale.ROOT, "bench-spark: Spark session and executors up in %.1f s (not counted)%n",
                    startup);
            var sparkStages = new Stages();
            long t1 = System.nanoTime();
            MigrationReport sr = SparkMigration.run(session, bench(index, spark).listener(sparkStages).build(),
                    () -> bench(index, spark).build());
            report("Spark " + master, sr, (System.nanoTime() - t1) / 1e9, sparkStages);
            session.stop();
            Peers.drop(client, spark);
            System.out.printf(Locale.ROOT, "bench-spark: load average after %s%n", load());
        } finally {
            client.close();
        }
    }

    static Migration.Builder bench(String index, String collection) {
        return Migration.builder().source(FaissSource.builder().file(Path.of(index)).build())
                .staging(Peers.staging()).stagingPrefix("bench-spark/" + collection).collectionName(collection)
                .target(Peers.target());
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static void report(String way, MigrationReport r, double seconds, Stages stages) {
        System.out.printf(Locale.ROOT, "bench-spark: %-28s %8d rows in %6.1f s = %8.0f rows/s%n", way,
                r.rowsLoaded(), seconds, r.rowsLoaded() / seconds);
        Instant start = stages.first.get(ProgressEvent.Stage.PLAN);
        stages.first.forEach((stage, at) -> System.out.printf(Locale.ROOT,
                "bench-spark:     %-10s first at %6.1f s%n", stage, (at.toEpochMilli() - start.toEpochMilli())
                        / 1e3));
        System.out.printf(Locale.ROOT, "bench-spark:     last group staged at %6.1f s, last import done at %6.1f s%n",
                (stages.lastStaged.toEpochMilli() - start.toEpochMilli()) / 1e3,
                (stages.lastImported.toEpochMilli() - start.toEpochMilli()) / 1e3);
    }

    /** When each stage was first reported, and the last staging and import. */
    static final class Stages implements ProgressListener {
        final Map<ProgressEvent.Stage, Instant> first = new EnumMap<>(ProgressEvent.Stage.class);
        volatile Instant lastStaged = Instant.EPOCH;
        volatile Instant lastImported = Instant.EPOCH;

        @Override
        public synchronized void onProgress(ProgressEvent e) {
            first.putIfAbsent(e.stage(), e.time());
            if (e.stage() == ProgressEvent.Stage.STAGE) {
                lastStaged = e.time();
            }
            if (e.stage() == ProgressEvent.Stage.IMPORT || e.stage() == ProgressEvent.Stage.COMPLETE) {
                lastImported = e.time();
            }
        }
    }
}
