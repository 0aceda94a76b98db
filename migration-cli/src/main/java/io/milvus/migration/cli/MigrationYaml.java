package io.milvus.migration.cli;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Target;
import io.milvus.migration.storage.LocalStorage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A {@code migration.yaml} in the shape of the Go {@code milvus-migration} tool, mapped onto the same builders a
 * program would use. Unknown keys, missing required keys and bad values fail with the key named. Holds the source
 * and target it creates; close it when done.
 *
 * <pre>{@code
 * try (MigrationYaml yaml = MigrationYaml.load(Path.of("migration.yaml"), Migration.Verb.RUN)) {
 *     MigrationReport report = yaml.migration(ProgressListener.NONE).run();
 * }
 * }</pre>
 */
public final class MigrationYaml implements AutoCloseable {
    private final Migration.Builder builder;
    private final Source source;
    private final Target target;

    private MigrationYaml(Migration.Builder builder, Source source, Target target) {
        this.builder = builder;
        this.source = source;
        this.target = target;
    }

    /**
     * Reads a config for one verb: {@code DUMP} needs {@code source} and a staging place, {@code LOAD} a staging
     * place and {@code target.milvus2x}, {@code RUN} all of them.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the file and key at fault
     */
    public static MigrationYaml load(Path file, Migration.Verb verb) {
        requireNonNull(file, "file is null");
        requireNonNull(verb, "verb is null");
        Object doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (NoSuchFileException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "config file " + file + " does not exist", e);
        } catch (MarkedYAMLException e) {
            // Not e.getMessage() nor e as cause: they quote the offending line, which may hold a password.
            Mark at = e.getProblemMark();
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "config file " + file + " is not valid YAML: "
                    + (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem()
                    + (at == null ? "" : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1)));
        } catch (IOException | YAMLException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot read config file " + file + ": "
                    + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "config file " + file
                    + " must hold a mapping with sections dumper, loader, source, target");
        }
        return parse(new ConfigNode(file.toString(), "", map), verb);
    }

    private static MigrationYaml parse(ConfigNode root, Migration.Verb verb) {
        var b = Migration.builder();
        root.optNode("dumper").flatMap(d -> d.optNode("worker")).ifPresent(w -> {
            w.optChoice("workMode", "faiss").orElse("faiss");
            w.optInt("limit").ifPresent(n -> b.parallelism(positive(w, "limit", n)));
            w.optNode("reader").flatMap(r -> r.optInt("bufferSize"))
                    .ifPresent(kb -> b.batchBytes(1024L * positive(w, "reader.bufferSize", kb)));
            w.optNode("writer").ifPresent(wr -> {
                wr.optInt("bufferSize"); // accepted for compatibility; files are written through a fixed buffer
                wr.optChoice("format", "numpy", "json")
                        .ifPresent(f -> b.bulkFormat(BulkFormat.valueOf(f.toUpperCase(Locale.ROOT))));
            });
        });
        Integer importLimit = root.optNode("loader").flatMap(l -> l.optNode("worker"))
                .flatMap(w -> w.optInt("limit")).orElse(null);

        ConfigNode targetNode = root.node("target");
        ConfigNode createNode = targetNode.optNode("create").orElse(null);
        ConfigNode create = createNode == null ? null : createNode.optNode("collection").orElse(null);

        // Sections a verb does not use are still checked, so one config serves dump, load and start alike.
        ConfigNode sourceNode = verb == Migration.Verb.LOAD ? root.optNode("source").orElse(null) : root.node("source");
        Source source = faissSource(sourceNode, create, verb != Migration.Verb.LOAD);
        if (source != null) {
            b.source(source);
        }

        String mode = targetNode.optChoice("mode", "local", "remote").orElse("local");
        if (mode.equals("remote")) {
            throw targetNode.error("mode", "'remote' (object-store staging) is not supported yet; use 'local'");
        }
        ConfigNode local = targetNode.node("local");
        Path outputDir = Path.of(local.string("outputDir")).toAbsolutePath().normalize();
        b.staging(LocalStorage.at(outputDir)).stagingPrefix("");

        if (create != null) {
            create.optString("name").ifPresent(b::collectionName);
        }

        ConfigNode milvus = verb == Migration.Verb.DUMP ? targetNode.optNode("milvus2x").orElse(null)
                : targetNode.node("milvus2x");
        Target target = milvusTarget(milvus, create, createNode, importLimit); // does not connect
        if (verb == Migration.Verb.DUMP) {
            target.close();
            target = null;
        } else {
            b.target(target);
        }
        root.optNode("meta");
        root.finish();
        return new MigrationYaml(b, source, target);
    }

    /** The source, or null when {@code open} is false or there is no source section (its keys are still checked). */
    private static Source faissSource(ConfigNode sourceNode, ConfigNode create, boolean open) {
        Integer dim = create == null ? null : create.optInt("dim").orElse(null);
        String metric = create == null ? null : create.optChoice("metricType", "L2", "IP").orElse(null);
        if (sourceNode == null) {
            return null;
        }
        String mode = sourceNode.optChoice("mode", "local", "remote").orElse("local");
        if (mode.equals("remote")) {
            throw sourceNode.error("mode", "'remote' (reading the Faiss file from an object store) is not supported"
                    + " yet; use 'local'");
        }
        ConfigNode local = sourceNode.node("local");
        Path file = Path.of(local.string("faissFile"));
        if (!open) {
            return null;
        }
        FaissSource source = FaissSource.builder().file(file).build();
        FieldSchema vector = source.collections().get(0).schema().fields().get(1);
        if (dim != null && dim != vector.dimension()) {
            throw create.error("dim", "is " + dim + " but Faiss file " + file + " holds vectors of dimension "
                    + vector.dimension());
        }
        if (metric != null && !metric.equals(vector.metric().name())) {
            throw create.error("metricType", "is " + metric + " but Faiss file " + file + " uses "
                    + vector.metric());
        }
        return source;
    }

    /** A target built without connecting; with {@code milvus} null only the collection settings are checked. */
    private static Target milvusTarget(ConfigNode milvus, ConfigNode collection, ConfigNode create,
                                       Integer importLimit) {
        var t = MilvusTarget.builder();
        if (milvus != null) {
            String endpoint = milvus.string("endpoint");
            t.uri(endpoint.contains("://") ? endpoint : "http://" + endpoint);
            milvus.optString("username").ifPresent(t::user);
            milvus.optString("password").ifPresent(t::password);
            milvus.optString("token").ifPresent(t::token);
            milvus.optString("database").ifPresent(t::database);
            milvus.optChoice("mode", "bulkImport", "insert").ifPresent(m -> t.bulkImport(m.equals("bulkImport")));
        }
        if (importLimit != null) {
            t.maxConcurrentImports(importLimit);
        }
        if (collection != null) {
            if (collection.has("shardsNum") && collection.has("shardsNums")) {
                throw collection.error("shardsNums", "and 'shardsNum' are both set; keep one");
            }
            collection.optInt("shardsNum").or(() -> collection.optInt("shardsNums")).ifPresent(t::shards);
            collection.optString("description").ifPresent(t::description);
            collection.optBool("enableDynamicField").ifPresent(t::dynamicField);
            collection.optChoice("ifExists", "fail", "append", "recreate")
                    .ifPresent(v -> t.ifExists(MilvusTarget.IfExists.valueOf(v.toUpperCase(Locale.ROOT))));
        }
        if (create != null) {
            create.optNode("index").ifPresent(index -> {
                t.createIndex(index.string("type"));
                index.optString("params").ifPresent(t::indexParams);
            });
            create.optBool("load").ifPresent(t::loadCollection);
        }
        return t.build();
    }

    private static int positive(ConfigNode node, String key, int n) {
        if (n < 1) {
            throw node.error(key, "must be at least 1, found " + n);
        }
        return n;
    }

    /** The migration this config describes, reporting to {@code listener}. */
    public Migration migration(ProgressListener listener) {
        return builder.listener(requireNonNull(listener, "listener is null")).build();
    }

    /** Closes the source and target this config created. */
    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }
}
