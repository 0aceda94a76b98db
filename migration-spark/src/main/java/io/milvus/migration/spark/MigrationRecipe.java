package io.milvus.migration.spark;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How an executor builds the migration it reads splits with: the same source, staging storage, transforms and
 * writer settings as the driver's, created where it runs. This is what is shipped to executors instead of live
 * clients, so it must hold no secret: a recipe names where the configuration is (a {@code migration.yaml} each
 * executor can read, URIs whose credentials come from the executor's environment), and the executor resolves the
 * secrets from there. A lambda works: {@code () -> Migration.builder().source(uri).staging(stage).build()}; what it
 * captures is serialized, so capture no password.
 */
@FunctionalInterface
public interface MigrationRecipe extends Serializable {
    /** Builds the migration on the executor; its target, job id and checkpoint store are not used. */
    Migration build();

    /**
     * Closes what {@link #build} opened; by default the migration's source and staging storage. Called on the
     * executor after each task.
     */
    default void release(Migration built) {
        built.source().ifPresent(s -> s.close());
        built.staging().ifPresent(s -> s.close());
    }

    /**
     * The executors read the same {@code migration.yaml} as the driver: at {@code path} when they see that file
     * (a shared file system), else the file of that name shipped with {@code spark-submit --files}. Secrets in it
     * are read on the executor and never shipped.
     */
    static MigrationRecipe yaml(String path) {
        return new YamlRecipe(path);
    }

    /** The {@code migration.yaml} recipe. */
    final class YamlRecipe implements MigrationRecipe {
        private static final long serialVersionUID = 1L;
        private final String path;
        private transient MigrationYaml open;

        YamlRecipe(String path) {
            this.path = java.util.Objects.requireNonNull(path, "path is null");
        }

        @Override
        public synchronized Migration build() {
            Path file = Path.of(path);
            if (!Files.isReadable(file)) {
                String shipped = org.apache.spark.SparkFiles.get(file.getFileName().toString());
                if (!Files.isReadable(Path.of(shipped))) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "executor cannot read " + path
                            + ": put it on a file system every executor sees, or ship it with spark-submit --files");
                }
                file = Path.of(shipped);
            }
            open = MigrationYaml.loadForWorkers(file);
            return open.migration(io.milvus.migration.ProgressListener.NONE);
        }

        @Override
        public synchronized void release(Migration built) {
            if (open != null) {
                open.close();
                open = null;
            }
        }

        @Override
        public String toString() {
            return "MigrationRecipe.yaml(" + path + ")";
        }
    }
}
