package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.Migration.Verb;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.yaml.MigrationYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationYamlTest {
    private static final String FIXTURE = "flat_l2"; // IndexFlatL2, dim 37, 1000 rows

    @TempDir
    Path dir;

    private YamlConfig config() {
        return YamlConfig.faiss(FIXTURE, dir.resolve("out"));
    }

    private Migration migration(YamlConfig config, Verb verb) {
        try (MigrationYaml yaml = MigrationYaml.load(config.write(dir), verb)) {
            return yaml.migration(ProgressListener.NONE);
        }
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(YamlConfig config, Verb verb) {
        Path file = config.write(dir);
        return assertThatThrownBy(() -> MigrationYaml.load(file, verb).close())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageNotContaining(YamlConfig.PASSWORD);
    }

    @Test
    void goToolFaissConfigAsWrittenByHand() throws Exception {
        Path file = dir.resolve("migration.yaml");
        Files.writeString(file, """
                dumper:
                  worker:
                    limit: 2
                    workMode: faiss
                    reader: {bufferSize: 1024}
                    writer: {bufferSize: 1024}
                loader:
                  worker: {limit: 2}
                source:
                  mode: local
                  local: {faissFile: %s}
                target:
                  mode: local
                  local: {outputDir: %s}
                  create:
                    collection: {name: test1w, shardsNum: 2, dim: 37, metricType: L2}
                  milvus2x: {endpoint: "127.0.0.1:19530", username: root, password: Milvus}
                """.formatted(FaissFixtures.index(FIXTURE), dir.resolve("out")));

        try (MigrationYaml yaml = MigrationYaml.load(file, Verb.RUN)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            assertThat(m.parallelism()).isEqualTo(2);
            assertThat(m.batchBytes()).isEqualTo(1024L * 1024);
            assertThat(m.source()).hasValueSatisfying(s -> assertThat(s.describe()).contains("flat_l2.index"));
            assertThat(m.target()).hasValueSatisfying(t -> assertThat(t.describe()).contains("127.0.0.1:19530"));
            assertThat(m.staging()).hasValueSatisfying(s -> assertThat(s.describe()).contains(dir.resolve("out")
                    .toString()));
            var schema = m.source().orElseThrow().collections().get(0).schema();
            assertThat(m.transforms()).singleElement()
                    .satisfies(t -> assertThat(t.apply(schema).name()).isEqualTo("test1w"));
        }
    }

    @ParameterizedTest
    @EnumSource(Verb.class)
    void goToolShapeLoadsForEveryVerb(Verb verb) {
        Migration m = migration(config(), verb);
        assertThat(m.source().isPresent()).isEqualTo(verb != Verb.LOAD);
        assertThat(m.target().isPresent()).isEqualTo(verb != Verb.DUMP);
        assertThat(m.staging()).isPresent();
    }

    @ParameterizedTest
    @EnumSource(io.milvus.migration.BulkFormat.class)
    void writerFormatSelectsTheBulkFormat(io.milvus.migration.BulkFormat format) {
        var config = config().set("dumper.worker.writer.format", format.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(migration(config, Verb.RUN).bulkFormat()).isEqualTo(format);
    }

    @Test
    void shardsNumsIsAcceptedInsteadOfShardsNum() {
        var config = config().remove("target.create.collection.shardsNum")
                .set("target.create.collection.shardsNums", 2);
        assertThat(migration(config, Verb.RUN).target()).isPresent();
    }

    @Test
    void shardsNumAndShardsNumsTogetherAreRejected() {
        assertInvalid(config().set("target.create.collection.shardsNums", 2), Verb.RUN)
                .hasMessageContaining("target.create.collection.shardsNums")
                .hasMessageContaining("shardsNum'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"target.create.collection.nmae", "source.local.faisFile", "foo",
            "dumper.worker.readr", "target.milvus2x.pasword"})
    void unknownKeyIsNamed(String key) {
        for (Verb verb : Verb.values()) {
            assertInvalid(config().set(key, "x"), verb).hasMessageContaining("'" + key + "'")
                    .hasMessageContaining("not a known setting");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"source.local.faissFile", "target.local.outputDir"})
    void missingRequiredKeyIsNamed(String key) {
        assertInvalid(config().remove(key), Verb.DUMP).hasMessageContaining("'" + key + "'")
                .hasMessageContaining("missing");
    }

    @ParameterizedTest
    @EnumSource(value = Verb.class, names = {"LOAD", "RUN"})
    void milvus2xIsRequiredToLoad(Verb verb) {
        assertInvalid(config().remove("target.milvus2x"), verb).hasMessageContaining("'target.milvus2x'")
                .hasMessageContaining("missing");
    }

    @Test
    void milvus2xIsNotNeededToDump() {
        Migration m = migration(config().remove("target.milvus2x"), Verb.DUMP);
        assertThat(m.source()).isPresent();
        assertThat(m.target()).isEmpty();
    }

    @Test
    void wrongDimNamesKeyAndBothDimensions() {
        assertInvalid(config().set("target.create.collection.dim", 128), Verb.DUMP)
                .hasMessageContaining("target.create.collection.dim")
                .hasMessageContaining("128")
                .hasMessageContaining("37");
    }

    @ParameterizedTest
    @ValueSource(strings = {"IP", "HAMMING", "JACCARD", "cosinus"})
    void wrongMetricTypeIsNamed(String metric) {
        assertInvalid(config().set("target.create.collection.metricType", metric), Verb.DUMP)
                .hasMessageContaining("target.create.collection.metricType")
                .hasMessageContaining(metric);
    }

    private static MetricType vectorMetric(Migration m) {
        return m.source().orElseThrow().collections().get(0).schema().fields().get(1).metric();
    }

    @ParameterizedTest
    @ValueSource(strings = {"COSINE", "cosine", "L2"})
    void floatIndexTakesCosineOrItsOwnMetric(String metric) {
        Migration m = migration(config().set("target.create.collection.metricType", metric), Verb.DUMP);
        assertThat(vectorMetric(m)).isEqualTo(MetricType.valueOf(metric.toUpperCase(java.util.Locale.ROOT)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HAMMING", "JACCARD", "jaccard"})
    void binaryIndexTakesBinaryMetrics(String metric) {
        var config = YamlConfig.faissBinary("bin_flat_64", dir.resolve("out"))
                .set("target.create.collection.metricType", metric);
        assertThat(vectorMetric(migration(config, Verb.DUMP)))
                .isEqualTo(MetricType.valueOf(metric.toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void binaryIndexWithoutMetricTypeIsHamming() {
        var config = YamlConfig.faissBinary("bin_ivf_64", dir.resolve("out"))
                .remove("target.create.collection.metricType");
        assertThat(vectorMetric(migration(config, Verb.DUMP))).isEqualTo(MetricType.HAMMING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"L2", "IP", "COSINE"})
    void binaryIndexRefusesFloatMetrics(String metric) {
        assertInvalid(YamlConfig.faissBinary("bin_flat_64", dir.resolve("out"))
                .set("target.create.collection.metricType", metric), Verb.DUMP)
                .hasMessageContaining("target.create.collection.metricType")
                .hasMessageContaining("binary index").hasMessageContaining("HAMMING or JACCARD");
    }

    @Test
    void floatIndexRefusesBinaryMetricsNamingWhatFits() {
        assertInvalid(config().set("target.create.collection.metricType", "JACCARD"), Verb.DUMP)
                .hasMessageContaining("float vectors").hasMessageContaining("use L2 or COSINE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"target.create.collection", "target.create"})
    void indexAndLoadAreReadWhereTheReadmeSaysAndWhereTheyWereBefore(String at) {
        var config = config().set(at + ".index.type", "IVF_FLAT").set(at + ".index.params", "{\"nlist\": 8}")
                .set(at + ".load", true);
        assertThat(migration(config, Verb.RUN).target()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.type", "load"})
    void indexOrLoadInBothPlacesIsRejected(String key) {
        Object value = key.equals("load") ? true : "FLAT";
        assertInvalid(config().set("target.create.collection." + key, value).set("target.create." + key, value),
                Verb.RUN).hasMessageContaining("'target.create." + key.split("\\.")[0] + "'")
                .hasMessageContaining("both set");
    }

    @Test
    void unknownKeyUnderIndexIsNamed() {
        assertInvalid(config().set("target.create.collection.index.type", "FLAT")
                .set("target.create.collection.index.parms", "{}"), Verb.RUN)
                .hasMessageContaining("'target.create.collection.index.parms'");
    }

    @Test
    void nonNumberLimitIsNamed() {
        assertInvalid(config().set("dumper.worker.limit", "two"), Verb.DUMP)
                .hasMessageContaining("dumper.worker.limit")
                .hasMessageContaining("two");
    }

    @Test
    void remoteTargetStagesInTheBucketUnderOutputDir() {
        YamlConfig remote = config().set("target.mode", "remote")
                .set("target.remote.outputDir", "output/")
                .set("target.remote.cloud", "minio")
                .set("target.remote.endpoint", "127.0.0.1:9000")
                .set("target.remote.region", "us-east-1")
                .set("target.remote.bucket", "a-bucket")
                .set("target.remote.ak", "minioadmin")
                .set("target.remote.sk", "sk-s3cr3t")
                .set("target.remote.useIAM", false)
                .set("target.remote.useSSL", false);
        try (MigrationYaml yaml = MigrationYaml.load(remote.write(dir), Verb.DUMP)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            assertThat(m.staging()).hasValueSatisfying(s -> assertThat(s.describe()).contains("a-bucket"));
            assertThat(m.stagingPrefix()).isEqualTo("output");
            assertThat(m.toString()).doesNotContain("sk-s3cr3t");
        }
    }

    @Test
    void remoteSectionErrorsNameTheKey() {
        YamlConfig remote = config().set("target.mode", "remote").set("target.remote.outputDir", "out")
                .set("target.remote.bucket", "b").set("target.remote.endpoint", "127.0.0.1:9000");
        assertInvalid(remote.set("target.remote.ak", "a"), Verb.DUMP).hasMessageContaining("'target.remote.sk'");
        assertInvalid(remote.set("target.remote.sk", "s").set("target.remote.bucekt", "x"), Verb.DUMP)
                .hasMessageContaining("'target.remote.bucekt'");
        assertInvalid(config().set("target.mode", "remote").set("target.remote.bucket", "b"), Verb.DUMP)
                .hasMessageContaining("'target.remote.outputDir'");
    }

    @Test
    void missingConfigFileIsReported() {
        Path missing = dir.resolve("nowhere.yaml");
        assertThatThrownBy(() -> MigrationYaml.load(missing, Verb.DUMP))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "  milvus2x: {username: root, password: %s\n  local: {outputDir: out}",
            "  milvus2x:\n    password: %s: more"})
    void yamlSyntaxErrorNamesTheLineButNotThePassword(String target) throws Exception {
        Path file = Files.writeString(dir.resolve("broken.yaml"),
                "target:\n" + target.formatted(YamlConfig.PASSWORD) + "\n");
        assertThatThrownBy(() -> MigrationYaml.load(file, Verb.DUMP))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid YAML")
                .hasMessageMatching("(?s).* line [23], column \\d+.*")
                .hasMessageNotContaining(YamlConfig.PASSWORD)
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }

    @Test
    void passwordStaysOutOfWhatIsBuilt() {
        Migration m = migration(config(), Verb.RUN);
        assertThat(m.toString()).contains("127.0.0.1:19530").doesNotContain(YamlConfig.PASSWORD);
        assertThat(m.target().orElseThrow().toString()).doesNotContain(YamlConfig.PASSWORD);
    }
}
