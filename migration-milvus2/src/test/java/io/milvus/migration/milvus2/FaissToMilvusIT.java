package io.milvus.migration.milvus2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faiss files written by real Faiss, migrated into a real Milvus and read back. Tests run concurrently (each has its
 * own collection and staging directory): most of their time is spent waiting for the server.
 */
@Execution(ExecutionMode.CONCURRENT)
class FaissToMilvusIT {
    private static TestMilvus milvus;

    @TempDir
    Path staging;

    @BeforeAll
    static void connect() {
        milvus = new TestMilvus();
    }

    @AfterAll
    static void disconnect() {
        milvus.close();
    }

    static Stream<Arguments> fixturesAndModes() {
        var fixtures = List.of("flat_l2", "flat_ip", "ivfflat_l2", "ivfflat_ip", "idmap_flat", "idmap2_flat_ip",
                "idmap_ivfflat", "ivfflat_ids", "ivfflat_sparse", "ivfflat_directmap_hash");
        var args = new ArrayList<Arguments>();
        for (String f : fixtures) {
            args.add(Arguments.of(f, "bulk-numpy"));
            args.add(Arguments.of(f, "insert"));
        }
        args.add(Arguments.of("ivfflat_l2", "bulk-json"));
        args.add(Arguments.of("idmap_flat", "bulk-json"));
        // coded indexes: vectors decoded as Faiss's reconstruct gives them; inserted, since the bulk path is the
        // same NumPy writing as above and each import costs the server's import tick
        for (String f : List.of("hnsw_flat", "hnsw_flat_ip", "hnsw_sq8", "hnsw_pq", "sq_8bit", "sq_4bit",
                "sq_8bit_uniform", "sq_4bit_uniform", "sq_fp16", "sq_8bit_direct", "sq_6bit", "sq_6bit_odd", "sq_bf16",
                "sq_8bit_direct_signed", "sq_8bit_d32", "sq_4bit_d16", "sq_6bit_d16", "sq_8bit_uniform_d64",
                "sq_4bit_uniform_d8", "sq_fp16_d16", "sq_bf16_d32", "empty_sq8", "idmap_sq8", "ivfsq8_residual",
                "ivfsq4_direct_ip", "ivfsq_fp16_residual", "ivfsq8_residual_d32", "ivfsq6_residual",
                "ivfsq0_centroids", "pq_8bit", "pq_6bit_ip", "ivfpq_residual", "ivfpq_direct_ip", "ivfpq_5bit",
                "idmap_ivfpq", "empty_ivfpq", "refine_flat_pq", "refine_sq_ip", "flat_l1", "flat_lp3")) {
            args.add(Arguments.of(f, f.equals("sq_8bit") ? "bulk-numpy" : "insert"));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("fixturesAndModes")
    void everyIdArrivesWithFaissBitsExactly(String fixture, String mode) {
        var expected = FaissFixtures.expected(fixture);
        String collection = TestMilvus.uniqueName(fixture);
        var builder = FaissSource.builder().file(FaissFixtures.index(fixture)).collection(collection)
                .splitBytes(16 << 10);
        if (fixture.equals("flat_l1") || fixture.equals("flat_lp3")) {
            builder.metric(io.milvus.migration.spi.MetricType.L2); // Milvus has no L1/Lp: the user picks one
        }
        try (FaissSource source = builder.build();
             MilvusTarget target = milvus.target().bulkImport(!mode.equals("insert")).insertBytes(32 << 10)
                     .build()) {
            MigrationReport report = Migration.builder()
                    .source(source).target(target).staging(LocalStorage.at(staging))
                    .bulkFormat(mode.equals("bulk-json") ? BulkFormat.JSON : BulkFormat.NUMPY)
                    .maxFileBytes(64 << 10).parallelism(3)
                    .build().run();

            assertThat(report.rowsRead()).isEqualTo(expected.rows().size());
            assertThat(report.rowsLoaded()).isEqualTo(expected.rows().size());
            assertThat(report.collections()).containsExactly(collection);
            if (!mode.equals("insert")) {
                assertThat(report.stagedFiles().isEmpty()).isEqualTo(expected.rows().isEmpty());
                assertThat(LocalStorage.at(staging).list("")).as("staged files are deleted after success")
                        .isEmpty();
            }
            Map<Long, float[]> got = milvus.readAll(collection, expected.rows().keySet(), "id", "vector");
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.rows().keySet());
            got.forEach((id, vector) -> assertThat(expected.sameBits(id, vector))
                    .as("vector of id %d is Faiss's reconstruct output bit for bit", id).isTrue());
        } finally {
            milvus.drop(collection);
        }
    }

    static Stream<Arguments> binaryFixturesAndModes() {
        var fixtures = List.of("bin_flat_64", "bin_flat_136", "bin_ivf_64", "bin_ivf_136_directmap", "bin_ivf_ids",
                "bin_idmap_flat", "bin_idmap2_ivf", "bin_hnsw");
        var args = new ArrayList<Arguments>();
        for (String f : fixtures) {
            args.add(Arguments.of(f, "bulk-numpy", "HAMMING"));
            args.add(Arguments.of(f, "insert", "HAMMING"));
        }
        args.add(Arguments.of("bin_flat_136", "bulk-json", "HAMMING"));
        args.add(Arguments.of("bin_idmap2_ivf", "bulk-numpy", "JACCARD"));
        args.add(Arguments.of("bin_ivf_64", "insert", "JACCARD"));
        return args.stream();
    }

    @ParameterizedTest(name = "{0} by {1} ({2})")
    @MethodSource("binaryFixturesAndModes")
    void everyBinaryIdArrivesWithFaissBytesExactly(String fixture, String mode, String metric) {
        Map<Long, byte[]> expected = FaissFixtures.expectedBinary(fixture);
        String collection = TestMilvus.uniqueName(fixture);
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index(fixture)).collection(collection)
                .binaryMetric(MetricType.valueOf(metric)).splitBytes(2 << 10).build();
             MilvusTarget target = milvus.binaryTarget().bulkImport(!mode.equals("insert")).insertBytes(4 << 10)
                     .build()) {
            MigrationReport report = Migration.builder()
                    .source(source).target(target).staging(LocalStorage.at(staging))
                    .bulkFormat(mode.equals("bulk-json") ? BulkFormat.JSON : BulkFormat.NUMPY)
                    .maxFileBytes(8 << 10).parallelism(3)
                    .build().run();

            assertThat(report.rowsRead()).isEqualTo(expected.size());
            assertThat(report.rowsLoaded()).isEqualTo(expected.size());
            assertThat(report.collections()).containsExactly(collection);
            if (!mode.equals("insert")) {
                assertThat(report.stagedFiles().isEmpty()).isEqualTo(expected.isEmpty());
            }
            var described = milvus.client.describeCollection(io.milvus.param.collection.DescribeCollectionParam
                    .newBuilder().withCollectionName(collection).build());
            var vectorField = described.getData().getSchema().getFieldsList().stream()
                    .filter(f -> f.getName().equals("vector")).findFirst().orElseThrow();
            assertThat(vectorField.getDataType()).isEqualTo(io.milvus.grpc.DataType.BinaryVector);
            assertThat(vectorField.getTypeParamsList()).anySatisfy(p -> assertThat(p.getKey() + "=" + p.getValue())
                    .isEqualTo("dim=" + expected.values().iterator().next().length * 8));
            var index = milvus.client.describeIndex(io.milvus.param.index.DescribeIndexParam.newBuilder()
                    .withCollectionName(collection).withFieldName("vector").build());
            assertThat(index.getData().getIndexDescriptions(0).getParamsList())
                    .anySatisfy(p -> assertThat(p.getKey() + "=" + p.getValue()).isEqualTo("metric_type=" + metric));

            Map<Long, byte[]> got = milvus.readAllBinary(collection, expected.keySet(), "id", "vector");
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            got.forEach((id, bytes) -> assertThat(bytes).as("codes of id %d", id).isEqualTo(expected.get(id)));
        } finally {
            milvus.drop(collection);
        }
    }

    @Test
    void emptyBinaryIndexLoadsAsZeroRows() {
        String collection = TestMilvus.uniqueName("bin_empty");
        try (var source = FaissSource.builder().file(FaissFixtures.index("bin_empty_flat")).collection(collection)
                .build(); var target = milvus.binaryTarget().build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).build().run();
            assertThat(report.rowsRead()).isZero();
            assertThat(report.rowsLoaded()).isZero();
            assertThat(milvus.exists(collection)).isTrue();
        } finally {
            milvus.drop(collection);
        }
    }

    @Test
    void emptyIndexLoadsAsZeroRows() {
        String collection = TestMilvus.uniqueName("empty");
        try (var source = FaissSource.builder().file(FaissFixtures.index("empty_ivfflat")).collection(collection)
                .build(); var target = milvus.target().build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).build().run();
            assertThat(report.rowsRead()).isZero();
            assertThat(report.rowsLoaded()).isZero();
            assertThat(milvus.exists(collection)).isTrue();
        } finally {
            milvus.drop(collection);
        }
    }

    @Test
    void dumpThenLoadThroughTheManifest() {
        String collection = TestMilvus.uniqueName("dump_load");
        var expected = FaissFixtures.expected("ivfflat_ip");
        try (var source = FaissSource.builder().file(FaissFixtures.index("ivfflat_ip")).build();
             var target = milvus.target().build()) {
            MigrationReport dumped = Migration.builder().source(source).staging(LocalStorage.at(staging))
                    .stagingPrefix("out").collectionName(collection).build().dump();
            assertThat(dumped.rowsLoaded()).isZero();
            assertThat(staging.resolve("out/manifest.json")).exists();

            MigrationReport loaded = Migration.builder().target(target).staging(LocalStorage.at(staging))
                    .stagingPrefix("out").build().load();
            assertThat(loaded.rowsLoaded()).isEqualTo(expected.rows().size());
            assertThat(milvus.readAll(collection, expected.rows().keySet(), "id", "vector"))
                    .hasSize(expected.rows().size());
        } finally {
            milvus.drop(collection);
        }
    }

    @Test
    void existingCollectionIsAnErrorUnlessRecreateIsChosen() {
        String collection = TestMilvus.uniqueName("exists");
        Path index = FaissFixtures.index("flat_ip");
        try {
            migrate(index, collection, milvus.target());
            assertThatThrownBy(() -> migrate(index, collection, milvus.target()))
                    .isInstanceOf(MigrationException.class)
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.COLLECTION_EXISTS))
                    .hasMessageContaining(collection);
            assertThat(milvus.exists(collection)).as("the first run's collection is untouched").isTrue();

            MigrationReport again = migrate(index, collection, milvus.target()
                    .ifExists(MilvusTarget.IfExists.RECREATE));
            assertThat(again.rowsLoaded()).isEqualTo(500);
        } finally {
            milvus.drop(collection);
        }
    }

    @Test
    void appendingToACollectionOfAnotherDimensionIsRejected() {
        String collection = TestMilvus.uniqueName("append_dim");
        try {
            migrate(FaissFixtures.index("flat_ip"), collection, milvus.target());   // dimension 16
            assertThatThrownBy(() -> migrate(FaissFixtures.index("flat_l2"), collection,  // dimension 37
                    milvus.target().ifExists(MilvusTarget.IfExists.APPEND)))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("dimension 16").hasMessageContaining("37")
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.TARGET_REJECTED));
        } finally {
            milvus.drop(collection);
        }
    }

    @Test
    void failureWhileReadingDropsTheNewCollection() {
        String collection = TestMilvus.uniqueName("read_fails");
        Transform failsOnThirdBatch = new Transform() {
            private final java.util.concurrent.atomic.AtomicInteger batches =
                    new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                return schema;
            }

            @Override
            public Batch apply(Batch batch) {
                if (batches.incrementAndGet() == 3) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "simulated bad row");
                }
                return batch;
            }
        };
        try (var source = FaissSource.builder().file(FaissFixtures.index("flat_l2")).collection(collection)
                .splitBytes(8 << 10).build(); var target = milvus.target().build()) {
            assertThatThrownBy(() -> Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).transform(failsOnThirdBatch).batchBytes(4 << 10)
                    .build().run())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("simulated bad row").hasMessageContaining("split rows-");
            assertThat(milvus.exists(collection)).as("no partial collection is left").isFalse();
        }
    }

    @Test
    void failedImportReportsMilvusReasonKeepsFilesAndDropsTheCollection() {
        String collection = TestMilvus.uniqueName("import_fails");
        try (var source = FaissSource.builder().file(FaissFixtures.index("flat_l2")).collection(collection)
                .build(); var target = milvus.target().importPathPrefix("/nonexistent-dir").build()) {
            // localPath gives absolute paths; the prefix turns them into paths Milvus cannot open
            assertThatThrownBy(() -> Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).build().run())
                    .isInstanceOf(MigrationException.class)
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.IMPORT_FAILED))
                    .hasMessageContaining("staged files kept under");
            assertThat(milvus.exists(collection)).isFalse();
            assertThat(LocalStorage.at(staging).list("")).anyMatch(k -> k.endsWith("vector.npy"));
        }
    }

    @Test
    void unreachableMilvusIsAClearErrorAndNothingIsStaged() {
        try (var source = FaissSource.builder().file(FaissFixtures.index("flat_l2")).build();
             var target = MilvusTarget.builder().uri("http://127.0.0.1:1").password("s3cr3t-pw")
                     .user("root").connectTimeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(() -> Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).build().run())
                    .isInstanceOf(MigrationException.class)
                    .satisfies(e -> assertThat(((MigrationException) e).code())
                            .isEqualTo(ErrorCode.TARGET_UNAVAILABLE))
                    .hasMessageContaining("127.0.0.1:1")
                    .hasMessageNotContaining("s3cr3t-pw");
            assertThat(target.toString()).doesNotContain("s3cr3t-pw");
            assertThat(LocalStorage.at(staging).list("")).isEmpty();
        }
    }

    @Test
    void truncatedOrUnsupportedFilesFailBeforeAnyCollectionIsCreated() throws IOException {
        Path truncated = staging.resolve("truncated.index");
        byte[] full = Files.readAllBytes(FaissFixtures.index("ivfflat_l2"));
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> FaissSource.builder().file(truncated).build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                .hasMessageContaining(truncated.toString());
        assertThatThrownBy(() -> FaissSource.builder().file(FaissFixtures.index("unsupported_pretransform")).build())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("IxPT");
        assertThatThrownBy(() -> FaissSource.builder().file(FaissFixtures.index("flat_l2")).dimension(128).build())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("128").hasMessageContaining("37");
    }

    private MigrationReport migrate(Path index, String collection, MilvusTarget.Builder target) {
        try (var source = FaissSource.builder().file(index).collection(collection).build();
             var t = target.build()) {
            return Migration.builder().source(source).target(t).staging(LocalStorage.at(staging)).build().run();
        }
    }
}
