package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.Migration;
import io.milvus.migration.Migration.Verb;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.milvus1.Milvus1Fixture;
import io.milvus.migration.milvus1.Milvus1Source;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.storage.S3Storage;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Go tool's Milvus 1.x config with {@code source.mode: remote}: the tables directory in the real S3 server
 * ({@code S3_ENDPOINT}, {@code S3_ACCESS_KEY}, {@code S3_SECRET_KEY}, {@code S3_BUCKET} from
 * {@code scripts/s3-server.sh}), the catalogue local (sqlite) or in the bucket ({@code meta.mode: remote}). Fails
 * (never skips) without the env.
 */
class MigrationYamlMilvus1RemoteIT {
    @TempDir
    Path dir;

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the test S3 server with "
                    + "scripts/s3-server.sh start and export its env (eval \"$(scripts/s3-server.sh env)\")");
        }
        return v;
    }

    @ParameterizedTest(name = "meta.mode {0}")
    @ValueSource(strings = {"sqlite", "remote"})
    void remoteTablesDirDumpsEveryLiveRow(String metaMode) throws Exception {
        URI endpoint = URI.create(env("S3_ENDPOINT"));
        String accessKey = env("S3_ACCESS_KEY");
        String secretKey = env("S3_SECRET_KEY");
        String bucketName = env("S3_BUCKET");
        String prefix = "milvus1-cli-it/" + ProcessHandle.current().pid() + "-" + metaMode;
        Milvus1Fixture fx = Milvus1Fixture.standard(dir.resolve("milvus"), "");
        try (S3Storage bucket = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(endpoint.toString())
                .bucket(bucketName).credentials(accessKey, secretKey).build()) {
            try (Stream<Path> files = Files.walk(fx.tables())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    bucket.upload(prefix + "/db/tables/" + fx.tables().relativize(f).toString().replace('\\', '/'),
                            f);
                }
            }
            Path metaJson = dir.resolve("meta.json");
            Milvus1Source.builder().directory(fx.root).writeMetaJson(metaJson);
            bucket.upload(prefix + "/db/meta.json", metaJson);
            deleteTree(fx.tables());   // only the bucket has the segment files now
            try {
                YamlConfig config = YamlConfig.milvus1(fx.root, dir.resolve("out")).remove("source.local")
                        .set("source.mode", "remote")
                        .set("source.remote.cloud", "aws")
                        .set("source.remote.endpoint", endpoint.getHost() + ":" + endpoint.getPort())
                        .set("source.remote.region", "us-east-1")
                        .set("source.remote.bucket", bucketName)
                        .set("source.remote.ak", accessKey)
                        .set("source.remote.sk", secretKey)
                        .set("source.remote.useIAM", false)
                        .set("source.remote.useSSL", false)
                        .set("source.remote.checkBucket", true)
                        .set("source.remote.tablesDir", "/" + prefix + "/db/tables/");
                if (metaMode.equals("remote")) {
                    config.remove("meta.sqliteFile").set("meta.mode", "remote")
                            .set("meta.remoteMetaFile", "/" + prefix + "/db/meta.json");
                }
                Path file = config.write(dir);
                try (MigrationYaml yaml = MigrationYaml.load(file, Verb.DUMP)) {
                    Migration m = yaml.migration(ProgressListener.NONE);
                    Source source = m.source().orElseThrow();
                    assertThat(source.describe()).contains("s3://" + bucketName).contains(prefix + "/db/tables")
                            .contains(metaMode.equals("remote") ? "meta.json" : "meta.sqlite")
                            .doesNotContain(secretKey);
                    assertThat(ids(source)).isEqualTo(expectedIds(fx));
                    MigrationReport report = m.dump();
                    assertThat(report.collections()).containsExactly("flt", "ip", "bin", "tan");
                    assertThat(report.rowsRead()).isEqualTo(47 + 40 + 19 + 22 + 32 + 37 + 15 + 11);
                }
            } finally {
                bucket.deletePrefix(prefix + "/");
            }
        }
    }

    private static Map<String, Set<Long>> ids(Source source) {
        var out = new LinkedHashMap<String, Set<Long>>();
        for (Source.SourceCollection c : source.collections()) {
            var ids = out.computeIfAbsent(c.schema().name(), k -> new LinkedHashSet<>());
            for (Split split : source.splits(c)) {
                try (SplitReader r = source.open(split)) {
                    Optional<Batch> b;
                    while ((b = r.next(7)).isPresent()) {
                        for (long id : ((Column.Longs) b.get().column("id")).values()) {
                            assertThat(ids.add(id)).as("id %d read once", id).isTrue();
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, Set<Long>> expectedIds(Milvus1Fixture fx) {
        var out = new LinkedHashMap<String, Set<Long>>();
        fx.expected.keySet().forEach(c -> out.put(c, fx.expectedRows(c).keySet()));
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
