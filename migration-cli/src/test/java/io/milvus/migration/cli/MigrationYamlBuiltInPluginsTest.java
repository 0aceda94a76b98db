package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.Migration.Verb;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.yaml.MigrationYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old tool's work modes are plug-ins: the Go layout is mapped onto their typed settings (errors still name the
 * key the user wrote), and each can be configured through its own {@code source.<name>} section too.
 */
class MigrationYamlBuiltInPluginsTest {
    private static final String FIXTURE = "flat_l2"; // IndexFlatL2, dim 37, 1000 rows

    @TempDir
    Path dir;

    private YamlConfig goLayout(Path out) {
        return YamlConfig.faiss(FIXTURE, out);
    }

    /** The same migration with the Faiss plug-in's own section instead of source.local and create.dim/metricType. */
    private YamlConfig ownSection(Path out) {
        return goLayout(out).remove("source.mode").remove("source.local")
                .remove("target.create.collection.dim").remove("target.create.collection.metricType")
                .set("source.faiss.file", FaissFixtures.index(FIXTURE).toString())
                .set("source.faiss.dim", 37).set("source.faiss.metricType", "L2");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(YamlConfig config, Verb verb) {
        Path file = config.write(dir);
        return assertThatThrownBy(() -> MigrationYaml.load(file, verb).close())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageNotContaining(YamlConfig.PASSWORD);
    }

    private MigrationReport dump(YamlConfig config, Path at) throws Exception {
        Path file = config.write(Files.createDirectories(at));
        try (MigrationYaml yaml = MigrationYaml.load(file, Verb.DUMP)) {
            return yaml.migration(ProgressListener.NONE).dump();
        }
    }

    private static CollectionSchema schema(YamlConfig config, Path at) {
        try (MigrationYaml yaml = MigrationYaml.load(config.write(at), Verb.RUN)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            return m.source().orElseThrow().collections().get(0).schema();
        }
    }

    @Test
    void faissThroughItsOwnSectionReadsWhatTheGoLayoutReads() throws Exception {
        CollectionSchema old = schema(goLayout(dir.resolve("a")), Files.createDirectories(dir.resolve("a")));
        CollectionSchema own = schema(ownSection(dir.resolve("b")), Files.createDirectories(dir.resolve("b")));
        assertThat(own.fields()).isEqualTo(old.fields());
        assertThat(own.fields().get(1).dimension()).isEqualTo(37);

        MigrationReport a = dump(goLayout(dir.resolve("a/out")), dir.resolve("a"));
        MigrationReport b = dump(ownSection(dir.resolve("b/out")), dir.resolve("b"));
        assertThat(b.rowsRead()).isEqualTo(1000).isEqualTo(a.rowsRead());
        assertThat(b.stagedFiles()).hasSameSizeAs(a.stagedFiles()).isNotEmpty();
    }

    @Test
    void theOwnSectionIsCheckedByThePlugin() {
        assertInvalid(ownSection(dir.resolve("out")).set("source.faiss.bogus", 1), Verb.DUMP)
                .hasMessageContaining("key 'source.faiss.bogus' is not a known setting");
        assertInvalid(ownSection(dir.resolve("out")).set("source.faiss.dim", 0), Verb.DUMP)
                .hasMessageContaining("source.faiss.dim must be at least 1, found 0");
        assertInvalid(ownSection(dir.resolve("out")).set("source.faiss.dim", 38), Verb.DUMP)
                .hasMessageContaining("source.faiss.dim is 38 but Faiss file")
                .hasMessageContaining("dimension 37");
    }

    @Test
    void aPluginsErrorAboutAMappedSettingNamesTheGoKey() {
        // the plug-in says "source.faiss.dim must be at least 1": the user wrote target.create.collection.dim
        for (Verb verb : List.of(Verb.DUMP, Verb.RUN)) {
            assertInvalid(goLayout(dir.resolve("out")).set("target.create.collection.dim", 0), verb)
                    .hasMessageContaining("migration.yaml: key 'target.create.collection.dim' must be at least 1,"
                            + " found 0").hasMessageNotContaining("source.faiss");
        }
        // remote storage settings under source.faiss.remote come from source.remote
        YamlConfig remote = goLayout(dir.resolve("out")).set("source.mode", "remote").remove("source.local")
                .set("source.remote.faissFile", "/v/flat.index").set("source.remote.bucket", "b")
                .set("source.remote.ak", "AKIDEXAMPLE");
        assertThatThrownBy(() -> MigrationYaml.check(remote.text(), "m.yaml", Verb.DUMP))
                .hasMessageContaining("m.yaml: key 'source.remote.sk' is missing; 'ak' and 'sk' go together")
                .hasMessageNotContaining("AKIDEXAMPLE");
        // the Milvus target's settings come from target.milvus2x and target.create.collection
        assertInvalid(goLayout(dir.resolve("out")).set("target.create.collection.shardsNum", 0), Verb.RUN)
                .hasMessageContaining("key 'target.create.collection.shardsNum' must be at least 1, found 0");
    }

    @Test
    void milvus2AndElasticsearchThroughTheirOwnSections() {
        String target = """
                target:
                  milvus2x: {endpoint: '127.0.0.1:19530'}
                """;
        String milvus = """
                dumper: {worker: {workMode: milvus2x}}
                source:
                  milvus: {endpoint: '127.0.0.1:19531', collections: [{name: a, target: b}], pageRows: 100}
                """ + target;
        try (MigrationYaml yaml = MigrationYaml.parse(milvus, "m.yaml", Verb.RUN)) {
            assertThat(yaml.migration(ProgressListener.NONE).source()).hasValueSatisfying(
                    s -> assertThat(s.describe()).contains("127.0.0.1:19531"));
        }
        assertThatThrownBy(() -> MigrationYaml.check(milvus.replace("pageRows: 100", "pageRows: 0"), "m.yaml",
                Verb.RUN)).hasMessageContaining("source.milvus.pageRows must be 1 to 16384, found 0");
        String es = """
                dumper: {worker: {workMode: elasticsearch}}
                source:
                  elasticsearch: {indices: [docs], urls: ['http://127.0.0.1:1'], fields: [{name: v, type: dense_vector}]}
                """ + target;
        assertThatThrownBy(() -> MigrationYaml.check(es, "m.yaml", Verb.RUN))
                .hasMessageContaining("source.elasticsearch.fields[0].dims is missing for vector field v");
        // the Go layout's meta.fields: the same check names the Go key
        String goEs = """
                dumper: {worker: {workMode: elasticsearch}}
                meta: {index: docs, fields: [{name: v, type: dense_vector}]}
                source:
                  es: {urls: ['http://127.0.0.1:1']}
                """ + target;
        assertThatThrownBy(() -> MigrationYaml.check(goEs, "m.yaml", Verb.RUN))
                .hasMessageContaining("m.yaml: key 'meta.fields[0].dims' is missing for vector field v");
    }
}
