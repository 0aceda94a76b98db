package io.milvus.migration.spark;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.yaml.MigrationYaml;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: runs the {@code migration.yaml} the CLI's {@code start} takes, with its
 * splits read on the executors.
 *
 * <pre>
 * spark-submit --class io.milvus.migration.spark.SparkMigrationMain --files migration.yaml \
 *   migration-spark-all.jar --config migration.yaml [--job ID]
 * </pre>
 *
 * Exits 0 when the job succeeded, 1 when it failed (the message names what failed; a job with an id can be run
 * again to resume), 2 on bad arguments.
 */
public final class SparkMigrationMain {
    private SparkMigrationMain() {
    }

    public static void main(String[] args) {
        String config = null;
        String job = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> config = i + 1 < args.length ? args[++i] : null;
                case "--job" -> job = i + 1 < args.length ? args[++i] : null;
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    config = null;
                    i = args.length;
                }
            }
        }
        if (config == null) {
            System.err.println("usage: SparkMigrationMain --config migration.yaml [--job ID]");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("milvus-migration").getOrCreate();
        int exit;
        try {
            MigrationReport report = run(spark, Path.of(config), job);
            System.out.println("migration done: " + report.rowsRead() + " rows read, " + report.rowsLoaded()
                    + " rows loaded into " + report.collections() + " in " + report.elapsed().toMillis() + " ms");
            exit = 0;
        } catch (MigrationException e) {
            System.err.println("migration failed: " + e.getMessage());
            exit = 1;
        } finally {
            spark.stop();
        }
        System.exit(exit);
    }

    /** Runs the config's migration on {@code spark}; {@code job} overrides the config's job id when not null. */
    public static MigrationReport run(SparkSession spark, Path config, String job) {
        try (MigrationYaml yaml = MigrationYaml.load(config, Migration.Verb.RUN)) {
            if (job != null) {
                yaml.jobId(job);
            }
            return SparkMigration.run(spark, yaml.migration(ProgressListener.NONE)); // executors read the file
        }
    }
}
