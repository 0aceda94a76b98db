package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.Migration.Verb;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.milvus1.Milvus1Fixture;
import io.milvus.migration.milvus1.Milvus1Source;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Go tool's Milvus 1.x {@code migration.yaml} over a data directory built by {@link Milvus1Fixture}. */
class MigrationYamlMilvus1Test {
    private static final String DSN_PASSWORD = "dsn-s3cr3t";

    @TempDir
    Path dir;
    private Milvus1Fixture fx;

    @BeforeEach
    void fixture() {
        fx = Milvus1Fixture.standard(dir.resolve("milvus"), "");
    }

    private YamlConfig config() {
        return YamlConfig.milvus1(fx.root, dir.resolve("out"));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(YamlConfig config, Verb verb) {
        Path file = config.write(dir);
        return assertThatThrownBy(() -> MigrationYaml.load(file, verb).close())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageNotContaining(YamlConfig.PASSWORD).hasMessageNotContaining(DSN_PASSWORD);
    }

    /** Every id of every collection, read split by split: collection -> ids. */
    private static Map<String, Set<Long>> ids(Source source) {
        var out = new LinkedHashMap<String, Set<Long>>();
        for (Source.SourceCollection c : source.collections()) {
            var ids = out.computeIfAbsent(c.schema().name(), k -> new LinkedHashSet<>());
            for (Split split : source.splits(c)) {
                try (SplitReader r = source.open(split)) {
                    Optional<Batch> b;
                    while ((b = r.next(100)).isPresent()) {
                        for (long id : ((Column.Longs) b.get().column("id")).values()) {
                            assertThat(ids.add(id)).as("id %d read once", id).isTrue();
                        }
                    }
                }
            }
        }
        return out;
    }

    private Map<String, Set<Long>> expectedIds() {
        var out = new LinkedHashMap<String, Set<Long>>();
        fx.expected.keySet().forEach(c -> out.put(c, fx.expectedRows(c).keySet()));
        return out;
    }

    @Test
    void goToolSqliteConfigAsWrittenByHandDumpsEveryLiveRow() throws Exception {
        Path file = dir.resolve("migration.yaml");
        Files.writeString(file, """
                dumper:
                  worker:
                    limit: 2
                    workMode: milvus1x
                    reader: {bufferSize: 1}
                    writer: {bufferSize: 1024}
                loader:
                  worker: {limit: 2}
                meta:
                  mode: sqlite
                  sqliteFile: %s
                source:
                  mode: local
                  local:
                    tablesDir: %s/
                target:
                  mode: local
                  local: {outputDir: %s}
                  milvus2x: {endpoint: "127.0.0.1:19530", username: root, password: Milvus}
                """.formatted(fx.db.resolve("meta.sqlite"), fx.tables(), dir.resolve("out")));
        try (MigrationYaml yaml = MigrationYaml.load(file, Verb.RUN)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            Source source = m.source().orElseThrow();
            assertThat(source.describe()).contains("meta.sqlite");
            assertThat(ids(source)).isEqualTo(expectedIds());
            assertThat(m.transforms()).isEmpty();
        }
        try (MigrationYaml yaml = MigrationYaml.load(file, Verb.DUMP)) {
            MigrationReport report = yaml.migration(ProgressListener.NONE).dump();
            assertThat(report.collections()).containsExactly("flt", "ip", "bin", "tan");
            assertThat(report.rowsRead()).isEqualTo(fx.expected.keySet().stream()
                    .mapToLong(c -> fx.expectedRows(c).size()).sum());
            assertThat(dir.resolve("out/manifest.json")).exists();
        }
    }

    @ParameterizedTest
    @EnumSource(Verb.class)
    void milvus1ShapeLoadsForEveryVerb(Verb verb) {
        try (MigrationYaml yaml = MigrationYaml.load(config().write(dir), verb)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            assertThat(m.source().isPresent()).isEqualTo(verb != Verb.LOAD);
            assertThat(m.target().isPresent()).isEqualTo(verb != Verb.DUMP);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock", "local"})
    void metaJsonModesReadTheOldToolsFile(String mode) {
        Path meta = dir.resolve("meta.json");
        Milvus1Source.builder().sqliteMeta(fx.db.resolve("meta.sqlite")).writeMetaJson(meta);
        var config = config().remove("meta.sqliteFile").set("meta.mode", mode)
                .set("meta." + mode + "File", meta.toString());
        try (MigrationYaml yaml = MigrationYaml.load(config.write(dir), Verb.DUMP)) {
            Source source = yaml.migration(ProgressListener.NONE).source().orElseThrow();
            assertThat(source.describe()).contains("meta.json");
            assertThat(ids(source)).isEqualTo(expectedIds());
        }
    }

    @Test
    void goToolMysqlUrlIsParsedWithoutConnectingForLoad() {
        var config = config().remove("meta.sqliteFile").set("meta.mode", "mysql")
                .set("meta.mysqlUrl", "root:" + DSN_PASSWORD + "@tcp(127.0.0.1:1)/milvus?charset=utf8mb4"
                        + "&parseTime=True&loc=Local");
        try (MigrationYaml yaml = MigrationYaml.load(config.write(dir), Verb.LOAD)) {
            assertThat(yaml.migration(ProgressListener.NONE).source()).isEmpty();
        }
        // for dump it connects: nothing listens there, and the error names the catalogue but not the password
        Path file = config.write(dir);
        assertThatThrownBy(() -> MigrationYaml.load(file, Verb.DUMP).close())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO))
                .hasMessageContaining("jdbc:mariadb://127.0.0.1:1/milvus").hasMessageNotContaining(DSN_PASSWORD);
    }

    @Test
    void badMysqlSettingsAreNamed() {
        var config = config().remove("meta.sqliteFile").set("meta.mode", "mysql");
        assertInvalid(config.set("meta.mysqlUrl", "root:" + DSN_PASSWORD + "@unix(/run/mysqld.sock)/milvus"),
                Verb.LOAD).hasMessageContaining("'meta.mysqlUrl'").hasMessageContaining("unix");
        assertInvalid(config.set("meta.mysqlUrl", "root:" + DSN_PASSWORD + "@tcp(localhost:3306)"), Verb.DUMP)
                .hasMessageContaining("'meta.mysqlUrl'");
        assertInvalid(config.set("meta.mysqlUrl", "root@tcp(localhost:3306)/milvus")
                .set("meta.mysqlPassword", DSN_PASSWORD), Verb.DUMP).hasMessageContaining("'meta.mysqlPassword'");
        assertInvalid(config.remove("meta.mysqlUrl").remove("meta.mysqlPassword"), Verb.DUMP)
                .hasMessageContaining("'meta.mysqlUrl'").hasMessageContaining("missing");
    }

    @Test
    void renameNeedsASingleCollection() {
        assertInvalid(config().set("target.create.collection.name", "docs"), Verb.DUMP)
                .hasMessageContaining("'target.create.collection.name'")
                .hasMessageContaining("4 live collections [flt, ip, bin, tan]");
        var one = Milvus1Fixture.standard(dir.resolve("one"), "");
        one.sql("DELETE FROM Tables WHERE table_id <> 'ip'");
        var config = YamlConfig.milvus1(one.root, dir.resolve("out")).set("target.create.collection.name", "docs");
        try (MigrationYaml yaml = MigrationYaml.load(config.write(dir), Verb.DUMP)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            var schema = m.source().orElseThrow().collections().get(0).schema();
            assertThat(schema.name()).isEqualTo("ip");
            assertThat(m.transforms()).singleElement()
                    .satisfies(t -> assertThat(t.apply(schema).name()).isEqualTo("docs"));
        }
    }

    @Test
    void faissOnlyAndUnsupportedSettingsAreNamed() {
        assertInvalid(config().set("target.create.collection.dim", 16), Verb.DUMP)
                .hasMessageContaining("'target.create.collection.dim'");
        assertInvalid(config().set("meta.mode", "remote").set("meta.remoteMetaFile", "x/meta.json"), Verb.DUMP)
                .hasMessageContaining("'meta.mode'").hasMessageContaining("needs source.mode 'remote'");
        assertInvalid(config().set("source.mode", "remote"), Verb.DUMP).hasMessageContaining("'source.remote'")
                .hasMessageContaining("missing");
        assertInvalid(config().remove("meta"), Verb.DUMP).hasMessageContaining("'meta'")
                .hasMessageContaining("missing");
        assertInvalid(config().remove("meta.mode"), Verb.DUMP).hasMessageContaining("'meta.mode'");
        assertInvalid(config().remove("source.local.tablesDir"), Verb.DUMP)
                .hasMessageContaining("'source.local.tablesDir'");
        assertInvalid(config().set("dumper.worker.workMode", "milvus3x"), Verb.DUMP)
                .hasMessageContaining("'dumper.worker.workMode'");
    }

    /** {@code source.mode: remote} as the Go tool writes it; LOAD checks the keys without reading the bucket. */
    private YamlConfig remoteSource() {
        return config().remove("source.local").set("source.mode", "remote")
                .set("source.remote.cloud", "minio")
                .set("source.remote.endpoint", "127.0.0.1:9")
                .set("source.remote.region", "us-east-1")
                .set("source.remote.bucket", "a-bucket")
                .set("source.remote.ak", "minioadmin")
                .set("source.remote.sk", "sk-s3cr3t")
                .set("source.remote.useIAM", false)
                .set("source.remote.useSSL", false)
                .set("source.remote.checkBucket", false)
                .set("source.remote.tablesDir", "/milvus/db/tables/");
    }

    @Test
    void remoteSourceKeysAreCheckedAndNamed() {
        try (MigrationYaml yaml = MigrationYaml.load(remoteSource().write(dir), Verb.LOAD)) {
            assertThat(yaml.migration(ProgressListener.NONE).source()).isEmpty();
        }
        try (MigrationYaml yaml = MigrationYaml.load(remoteSource().set("meta.mode", "remote")
                .remove("meta.sqliteFile").set("meta.remoteMetaFile", "/milvus/meta.json").write(dir), Verb.LOAD)) {
            assertThat(yaml.migration(ProgressListener.NONE).source()).isEmpty();
        }
        assertInvalid(remoteSource().set("source.remote.tablesDri", "x"), Verb.LOAD)
                .hasMessageContaining("'source.remote.tablesDri'").hasMessageContaining("not a known setting")
                .hasMessageNotContaining("sk-s3cr3t");
        assertInvalid(remoteSource().remove("source.remote.tablesDir"), Verb.DUMP)
                .hasMessageContaining("'source.remote.tablesDir'").hasMessageContaining("missing");
        assertInvalid(remoteSource().remove("source.remote.sk"), Verb.DUMP)
                .hasMessageContaining("'source.remote.sk'").hasMessageNotContaining("minioadmin");
        assertInvalid(remoteSource().set("source.remote.cloud", "dropbox"), Verb.DUMP)
                .hasMessageContaining("'source.remote.cloud'");
        assertInvalid(remoteSource().set("source.local.tablesDir", "/x"), Verb.LOAD)
                .hasMessageContaining("'source.local'");
        assertInvalid(remoteSource().set("meta.mode", "remote").remove("meta.sqliteFile"), Verb.DUMP)
                .hasMessageContaining("'meta.remoteMetaFile'").hasMessageContaining("missing");
        assertInvalid(remoteSource().set("meta.mode", "remote").set("meta.remoteMetaFile", "m.json"), Verb.LOAD)
                .hasMessageContaining("'meta.sqliteFile'").hasMessageContaining("not a known setting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"meta.sqlitFile", "meta.mysqlUser", "source.local.faissFile", "meta.foo"})
    void unknownKeyIsNamed(String key) {
        for (Verb verb : Verb.values()) {
            assertInvalid(config().set(key, "x"), verb).hasMessageContaining("'" + key + "'")
                    .hasMessageContaining("not a known setting");
        }
    }

    private int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
             var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return MigrationCli.run(args, o, e, false, dir);
        }
    }

    @Test
    void exportWritesMetaJsonThatReadsBackToTheSameRows() {
        Path config = config().write(dir);
        Path meta = dir.resolve("exported/meta.json");
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        assertThat(cli(out, err, "export", "--config", config.toString(), "--output", meta.toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("4 collections [flt, ip, bin, tan]")
                .contains((47 + 40 + 19 + 22 + 32 + 37 + 15 + 11) + " rows");
        try (var fromJson = Milvus1Source.builder().jsonMeta(meta).tablesDirectory(fx.tables()).build();
             var fromSqlite = Milvus1Source.builder().directory(fx.root).build()) {
            assertThat(fromJson.collections()).isEqualTo(fromSqlite.collections());
            for (var c : fromSqlite.collections()) {
                assertThat(fromJson.splits(c)).extracting(Split::id, Split::partition)
                        .containsExactlyElementsOf(fromSqlite.splits(c).stream()
                                .map(s -> org.assertj.core.groups.Tuple.tuple(s.id(), s.partition())).toList());
            }
            assertThat(ids(fromJson)).isEqualTo(expectedIds());
        }
    }

    @Test
    void exportNeedsAMilvus1Catalogue() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Path meta = dir.resolve("meta.json");
        Path jsonConfig = config().remove("meta.sqliteFile").set("meta.mode", "local")
                .set("meta.localFile", meta.toString()).write(dir);
        assertThat(cli(out, err, "export", "--config=" + jsonConfig)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'meta.mode'");
        Path faiss = config().set("dumper.worker.workMode", "faiss").write(dir);
        assertThat(cli(out, err, "export", "--config", faiss.toString(), "--output", meta.toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'dumper.worker.workMode'");
        assertThat(cli(out, err, "dump", "--config", faiss.toString(), "--output", meta.toString())).isEqualTo(2);
        assertThat(meta).doesNotExist();
    }
}
