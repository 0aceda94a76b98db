package io.milvus.migration.spark;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * The recipe a migration describes itself: the {@code migration.yaml} it was read from
     * ({@link Migration#configFile()}), else its source and staging URIs with its transforms and writer settings.
     *
     * @throws MigrationException {@code INVALID_CONFIG} if the migration cannot be built again elsewhere: its source
     *                            or staging was given as an object, a URI holds a password, or a transform does not
     *                            serialize; the message names it
     */
    static MigrationRecipe of(Migration m) {
        if (m.configFile().isPresent()) {
            return yaml(m.configFile().get());
        }
        URI source = m.sourceUri().orElseThrow(() -> cannotShip("its source was given as an object"));
        URI staging = m.staging().isEmpty() ? null
                : m.stagingUri().orElseThrow(() -> cannotShip("its staging storage was given as an object"));
        for (URI uri : staging == null ? List.of(source) : List.of(source, staging)) {
            if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
                throw cannotShip("a URI holds a password (" + uri.getScheme() + "://" + uri.getHost()
                        + "); give credentials through the executors' environment");
            }
        }
        for (Transform t : m.transforms()) {
            try (var out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
                out.writeObject(t);
            } catch (IOException e) {
                throw cannotShip("transform " + t + " does not serialize (" + e + ")");
            }
        }
        return new UriRecipe(source, staging, m.stagingPrefix(), List.copyOf(m.transforms()), m.parallelism(),
                m.batchBytes(), m.maxFileBytes(), m.bulkFormat());
    }

    private static MigrationException cannotShip(String why) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "the migration cannot be built again on the "
                + "executors: " + why + ". Give the source and staging as URIs, read the migration from a "
                + "migration.yaml, or pass a MigrationRecipe");
    }

    /** A migration from URIs: what {@link #of} derives. */
    record UriRecipe(URI source, URI staging, String stagingPrefix, List<Transform> transforms, int parallelism,
                     long batchBytes, long maxFileBytes, BulkFormat format) implements MigrationRecipe {
        @Override
        public Migration build() {
            var b = Migration.builder().source(source).stagingPrefix(stagingPrefix).parallelism(parallelism)
                    .batchBytes(batchBytes).maxFileBytes(maxFileBytes).bulkFormat(format);
            if (staging != null) {
                b.staging(staging);
            }
            transforms.forEach(b::transform);
            return b.build();
        }

        @Override
        public String toString() { // no query parameters or user: they may hold credentials
            return "MigrationRecipe.of(" + source.getScheme() + ":" + (staging == null ? ""
                    : ", " + staging.getScheme() + ":") + ", transforms=" + transforms + ")";
        }
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
