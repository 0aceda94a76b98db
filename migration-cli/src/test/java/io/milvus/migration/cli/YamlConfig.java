package io.milvus.migration.cli;

import io.milvus.migration.faiss.FaissFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Builds a {@code migration.yaml} in the Go tool's Faiss shape, with single keys changed by dotted path. */
final class YamlConfig {
    static final String PASSWORD = "s3cr3t-pw";

    private final Map<String, Object> root = new LinkedHashMap<>();

    private YamlConfig() {
    }

    /**
     * The Go tool's Faiss example for a {@link FaissFixtures} fixture, with its dim and metric: local Faiss file in,
     * local bulk files out, collection {@code test1w}, Milvus at 127.0.0.1:19530.
     */
    static YamlConfig faiss(String fixture, Path outputDir) {
        FaissFixtures.Expected expected = FaissFixtures.expected(fixture);
        return new YamlConfig()
                .set("dumper.worker.limit", 2)
                .set("dumper.worker.workMode", "faiss")
                .set("dumper.worker.reader.bufferSize", 1024)
                .set("dumper.worker.writer.bufferSize", 1024)
                .set("loader.worker.limit", 2)
                .set("source.mode", "local")
                .set("source.local.faissFile", FaissFixtures.index(fixture).toString())
                .set("target.mode", "local")
                .set("target.local.outputDir", outputDir.toString())
                .set("target.create.collection.name", "test1w")
                .set("target.create.collection.shardsNum", 2)
                .set("target.create.collection.dim", expected.dimension())
                .set("target.create.collection.metricType", expected.metric())
                .set("target.milvus2x.endpoint", "127.0.0.1:19530")
                .set("target.milvus2x.username", "root")
                .set("target.milvus2x.password", PASSWORD);
    }

    /**
     * As {@link #faiss} for a binary fixture ({@code bin_*}): its dimension in bits, metricType HAMMING.
     */
    static YamlConfig faissBinary(String fixture, Path outputDir) {
        int bits = FaissFixtures.expectedBinary(fixture).values().iterator().next().length * 8;
        return new YamlConfig()
                .set("dumper.worker.limit", 2)
                .set("dumper.worker.workMode", "faiss")
                .set("source.mode", "local")
                .set("source.local.faissFile", FaissFixtures.index(fixture).toString())
                .set("target.mode", "local")
                .set("target.local.outputDir", outputDir.toString())
                .set("target.create.collection.name", "test1w")
                .set("target.create.collection.dim", bits)
                .set("target.create.collection.metricType", "HAMMING")
                .set("target.milvus2x.endpoint", "127.0.0.1:19530")
                .set("target.milvus2x.username", "root")
                .set("target.milvus2x.password", PASSWORD);
    }

    /**
     * The Go tool's Milvus 1.x example with a SQLite catalogue: {@code meta.sqliteFile} and
     * {@code source.local.tablesDir} of a data directory, local bulk files out, Milvus at 127.0.0.1:19530.
     */
    static YamlConfig milvus1(Path milvusData, Path outputDir) {
        return new YamlConfig()
                .set("dumper.worker.limit", 2)
                .set("dumper.worker.workMode", "milvus1x")
                .set("dumper.worker.reader.bufferSize", 1024)
                .set("dumper.worker.writer.bufferSize", 1024)
                .set("loader.worker.limit", 2)
                .set("meta.mode", "sqlite")
                .set("meta.sqliteFile", milvusData.resolve("db/meta.sqlite").toString())
                .set("source.mode", "local")
                .set("source.local.tablesDir", milvusData.resolve("db/tables").toString())
                .set("target.mode", "local")
                .set("target.local.outputDir", outputDir.toString())
                .set("target.milvus2x.endpoint", "127.0.0.1:19530")
                .set("target.milvus2x.username", "root")
                .set("target.milvus2x.password", PASSWORD);
    }

    /** Sets one key, creating the mappings above it. */
    @SuppressWarnings("unchecked")
    YamlConfig set(String dottedKey, Object value) {
        String[] parts = dottedKey.split("\\.");
        Map<String, Object> node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], value);
        return this;
    }

    /** Removes one key (and whatever is below it). */
    @SuppressWarnings("unchecked")
    YamlConfig remove(String dottedKey) {
        String[] parts = dottedKey.split("\\.");
        Map<String, Object> node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.get(parts[i]);
        }
        node.remove(parts[parts.length - 1]);
        return this;
    }

    String text() {
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(root);
    }

    /** Writes the config as {@code migration.yaml} in {@code dir}. */
    Path write(Path dir) {
        try {
            return Files.writeString(dir.resolve("migration.yaml"), text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
