package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.migration.storage.S3Storage;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.HasCollectionParam;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A built Milvus 1.x data directory uploaded to the real S3 server ({@code S3_ENDPOINT}, {@code S3_ACCESS_KEY},
 * {@code S3_SECRET_KEY}, {@code S3_BUCKET} from {@code scripts/s3-server.sh}) and migrated from there into the real
 * Milvus ({@code MILVUS_URI}): catalogue local and segments in the bucket, or the catalogue's {@code meta.json} in
 * the bucket too. Every live row read back bit for bit in its partition. Fails (never skips) without the env.
 */
class Milvus1FromS3IT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String uri;
    private static MilvusServiceClient client;
    private static S3Storage bucket;

    @TempDir
    Path data;
    @TempDir
    Path staging;

    private static String env(String name, String script) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the test server with scripts/" + script
                    + " start and export its env (eval \"$(scripts/" + script + " env)\")");
        }
        return v;
    }

    @BeforeAll
    static void connect() {
        String endpoint = env("S3_ENDPOINT", "s3-server.sh");
        bucket = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(endpoint)
                .bucket(env("S3_BUCKET", "s3-server.sh"))
                .credentials(env("S3_ACCESS_KEY", "s3-server.sh"), env("S3_SECRET_KEY", "s3-server.sh"))
                .readAhead(4 << 10).build();
        uri = env("MILVUS_URI", "milvus-server.sh");
        client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
        if (bucket != null) {
            bucket.close();
        }
    }

    /** Uploads every file under {@code root} to {@code prefix/<relative path>}. */
    private static void upload(Path root, String prefix) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                bucket.upload(prefix + "/" + root.relativize(f).toString().replace('\\', '/'), f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "catalogue {0}")
    @ValueSource(strings = {"sqlite", "remote-json"})
    void everyLiveRowFromTheBucketArrivesInItsPartition(String catalogue) throws Exception {
        int n = COUNTER.incrementAndGet();
        String p = "m1s3_" + ProcessHandle.current().pid() + "_" + n + "_";
        String prefix = "milvus1-it/" + ProcessHandle.current().pid() + "-" + n;
        Milvus1Fixture fx = Milvus1Fixture.standard(data.resolve("milvus"), p);
        upload(fx.db.resolve("tables"), prefix + "/db/tables");
        Path metaJson = data.resolve("meta.json");
        Milvus1Source.builder().directory(fx.root).writeMetaJson(metaJson);
        bucket.upload(prefix + "/db/meta.json", metaJson);
        // the local copy of the segment files goes away: only the bucket has them
        deleteTree(fx.tables());
        List<String> floats = List.of(p + "flt", p + "ip");
        List<String> binaries = List.of(p + "bin", p + "tan");
        boolean bulk = catalogue.equals("sqlite");
        try {
            for (List<String> collections : List.of(floats, binaries)) {
                var b = Milvus1Source.builder().collections(collections);
                if (catalogue.equals("sqlite")) {
                    b.sqliteMeta(fx.db.resolve("meta.sqlite")).tables(bucket, "/" + prefix + "/db/tables/");
                } else {
                    b.jsonMeta(bucket, prefix + "/db/meta.json");   // tables/ beside it in the bucket
                }
                long expectedRows = collections.stream().mapToLong(c -> fx.expectedRows(c).size()).sum();
                try (var source = b.build();
                     var target = MilvusTarget.builder().uri(uri)
                             .createIndex(collections == floats ? "FLAT" : "BIN_FLAT").loadCollection(true)
                             .bulkImport(bulk).insertBytes(2 << 10).build()) {
                    assertThat(source.describe()).contains(bucket.describe()).contains(prefix + "/db/tables");
                    MigrationReport report = Migration.builder().source(source).target(target)
                            .staging(LocalStorage.at(staging)).parallelism(3).batchBytes(1 << 10)
                            .maxFileBytes(4 << 10).build().run();
                    assertThat(report.rowsRead()).isEqualTo(expectedRows);
                    assertThat(report.rowsLoaded()).isEqualTo(expectedRows);
                    assertThat(report.collections()).containsExactlyElementsOf(collections);
                }
            }
            assertThat(client.hasCollection(HasCollectionParam.newBuilder().withCollectionName(p + "dropped")
                    .build()).getData()).as("dropped collection").isFalse();
            Milvus1ToMilvusIT.assertMigrated(client, fx, p);
        } finally {
            for (String c : List.of(p + "flt", p + "ip", p + "bin", p + "tan", p + "dropped")) {
                client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c).build());
            }
            bucket.deletePrefix(prefix + "/");
        }
    }

    @Test
    void truncatedAndMissingObjectsNameTheBucketAndKey() throws Exception {
        String prefix = "milvus1-it/" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        var fx = new Milvus1Fixture(data.resolve("damaged"));
        fx.table("c", Milvus1Fixture.NORMAL, 8, Milvus1Fixture.L2, "", "");
        fx.segment("c", "77", Milvus1Fixture.RAW, 100, 10, new int[] {2}, "c", "");
        fx.writeCatalogue();
        Path rv = fx.segmentDir("c", "77").resolve("77.rv");
        byte[] bytes = Files.readAllBytes(rv);
        Files.write(rv, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        upload(fx.tables(), prefix + "/tables");
        try {
            assertThatThrownBy(() -> Milvus1Source.builder().directory(fx.root).tables(bucket, prefix + "/tables")
                    .build())
                    .isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                    .hasMessageContaining("segment 77 of collection c")
                    .hasMessageContaining(bucket.describe() + " key " + prefix + "/tables/c/77/77.rv")
                    .hasMessageContaining("declares 320 bytes at offset 0 but holds 315")
                    .hasMessageNotContaining(System.getenv("S3_SECRET_KEY"));
            bucket.deletePrefix(prefix + "/tables/c/77/77.uid");
            Files.write(rv, bytes);
            bucket.upload(prefix + "/tables/c/77/77.rv", rv);
            assertThatThrownBy(() -> Milvus1Source.builder().directory(fx.root).tables(bucket, prefix + "/tables")
                    .build())
                    .isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO))
                    .hasMessageContaining(bucket.describe() + " key " + prefix + "/tables/c/77/77.uid is missing")
                    .hasMessageNotContaining(System.getenv("S3_SECRET_KEY"));
        } finally {
            bucket.deletePrefix(prefix + "/");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
