package io.milvus.migration.milvus2;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationPlan;
import io.milvus.migration.VerifyOptions;
import io.milvus.migration.VerifyReport;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.collection.GetLoadStateParam;
import io.milvus.param.dml.DeleteParam;
import io.milvus.param.dml.InsertParam;
import io.milvus.param.dml.UpsertParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.DescIndexResponseWrapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against the real Milvus: a migration builds the index matching the Faiss file's and loads the collection; verify
 * passes on a good migration with recall reported, and fails naming the id when a row is changed or deleted in
 * Milvus; plan touches nothing.
 */
class IndexAndVerifyIT {
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

    private static FaissSource faiss(String fixture, String collection) {
        return FaissSource.builder().file(FaissFixtures.index(fixture)).collection(collection).build();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = ';', value = {
        "ivfflat_l2; IVF_FLAT; nlist=16; L2",
        "hnsw_flat; HNSW; M=16,efConstruction=40; L2",
        "flat_l2; FLAT; ; L2",
        "ivfflat_ip; IVF_FLAT; nlist=8; IP",
        "bin_ivf_64; BIN_IVF_FLAT; nlist=16; HAMMING",
        "bin_flat_64; BIN_FLAT; ; HAMMING"})
    void theCollectionGetsTheSourcesIndexIsLoadedAndVerifies(String fixture, String type, String params,
                                                            String metric) {
        String name = TestMilvus.uniqueName("idx_" + fixture);
        try (FaissSource source = faiss(fixture, name);
             MilvusTarget target = MilvusTarget.builder().uri(milvus.uri).build()) {
            Migration m = Migration.builder().source(source).target(target).staging(LocalStorage.at(staging))
                    .build();
            m.run();
            var index = describeIndex(name, "vector");
            assertThat(index.getIndexType().name()).isEqualTo(type);
            assertThat(index.getMetricType().name()).isEqualTo(metric);
            if (params != null) {
                for (String kv : params.split(",")) {
                    assertThat(index.getExtraParam()).contains("\"" + kv.split("=")[0] + "\":\"" + kv.split("=")[1]
                            + "\"");
                }
            }
            assertThat(loaded(name)).isTrue();

            VerifyReport report = m.verify();
            assertThat(report.failures()).isEmpty();
            assertThat(report.passed()).isTrue();
            VerifyReport.Collection c = report.collections().get(0);
            long rows = source.collections().get(0).estimatedRows();
            assertThat(c.sourceRows()).isEqualTo(Map.of("", rows));
            assertThat(c.targetRows()).isEqualTo(Map.of("", rows));
            assertThat(c.sampled()).isEqualTo((int) Math.min(1000, rows));
            assertThat(c.sampleMatched()).isEqualTo(c.sampled());
            assertThat(c.queries()).isEqualTo(100);
            // exact indexes, and IVF with every list probed, find what brute force finds
            assertThat(c.recall().orElseThrow()).isGreaterThanOrEqualTo(type.equals("HNSW") ? 0.98 : 0.999);
        } finally {
            milvus.drop(name);
        }
    }

    @Test
    void indexNoneBuildsNoIndexAndDoesNotLoad() {
        String name = TestMilvus.uniqueName("idx_none");
        try (FaissSource source = faiss("ivfflat_l2", name);
             MilvusTarget target = MilvusTarget.builder().uri(milvus.uri).noIndex().build()) {
            Migration m = Migration.builder().source(source).target(target).staging(LocalStorage.at(staging))
                    .build();
            m.run();
            assertThat(milvus.client.describeIndex(DescribeIndexParam.newBuilder().withCollectionName(name)
                    .withFieldName("vector").build()).getStatus()).isNotZero();
            assertThat(loaded(name)).isFalse();
            // counts still compare; reading rows back needs an index, and the report says so
            VerifyReport report = m.verify();
            assertThat(report.passed()).isFalse();
            assertThat(report.collections().get(0).targetRows()).isEqualTo(Map.of("", 3000L));
            assertThat(report.failures()).singleElement().asString().contains("collection " + name)
                    .contains("has no index on vector");
        } finally {
            milvus.drop(name);
        }
    }

    @Test
    void explicitIndexSettingsOverrideTheSuggestion() {
        String name = TestMilvus.uniqueName("idx_explicit");
        try (FaissSource source = faiss("hnsw_flat", name);
             MilvusTarget target = MilvusTarget.builder().uri(milvus.uri).createIndex("IVF_FLAT")
                     .indexParams("{\"nlist\": 4}").build()) {
            Migration.builder().source(source).target(target).staging(LocalStorage.at(staging)).build().run();
            var index = describeIndex(name, "vector");
            assertThat(index.getIndexType().name()).isEqualTo("IVF_FLAT");
            assertThat(index.getExtraParam()).contains("\"nlist\":\"4\"");
            assertThat(loaded(name)).isTrue();
        } finally {
            milvus.drop(name);
        }
    }

    @Test
    void verifyFailsNamingTheIdOfARowChangedOrDeletedInMilvus() {
        String name = TestMilvus.uniqueName("verify_bad");
        String milvusUri = "milvus://" + URI.create(milvus.uri).getHost() + ":" + URI.create(milvus.uri).getPort()
                + "/default/" + name;
        try (FaissSource source = faiss("flat_l2", "ignored")) {
            // the target from a URI: the collection named there is the one created
            Migration m = Migration.builder().source(source).target(URI.create(milvusUri))
                    .staging(LocalStorage.at(staging)).build();
            m.run();
            assertThat(m.verify().passed()).isTrue();

            var expected = FaissFixtures.expected("flat_l2");
            float[] changed = expected.rows().get(7L).clone();
            changed[3] += 0.5f;
            var row = new ArrayList<Float>();
            for (float f : changed) {
                row.add(f);
            }
            check(milvus.client.upsert(UpsertParam.newBuilder().withCollectionName(name).withFields(List.of(
                    new InsertParam.Field("id", List.of(7L)), new InsertParam.Field("vector", List.of(row))))
                    .build()));
            check(milvus.client.delete(DeleteParam.newBuilder().withCollectionName(name).withExpr("id in [11]")
                    .build()));

            VerifyReport report = m.verify(VerifyOptions.builder().queries(0).build());
            assertThat(report.passed()).isFalse();
            assertThat(report.failures()).anySatisfy(f -> assertThat(f).contains("id 7 of collection " + name)
                    .contains("field vector differs"));
            assertThat(report.failures()).anySatisfy(f -> assertThat(f).contains("id 11 is missing from collection "
                    + name));
            assertThat(report.failures()).anySatisfy(f -> assertThat(f).contains("collection " + name
                    + " partition _default: the source has 1000 rows, the target 999"));
            VerifyReport.Collection c = report.collections().get(0);
            assertThat(c.sampled()).isEqualTo(1000);
            assertThat(c.sampleMatched()).isEqualTo(998);
        } finally {
            milvus.drop(name);
        }
    }

    @Test
    void planTouchesNothing() throws Exception {
        String name = TestMilvus.uniqueName("plan");
        try (FaissSource source = faiss("ivfflat_l2", name);
             MilvusTarget target = MilvusTarget.builder().uri(milvus.uri).build()) {
            MigrationPlan plan = Migration.builder().source(source).target(target).staging(LocalStorage.at(staging))
                    .parallelism(2).maxFileBytes(100_000).build().plan();
            assertThat(milvus.exists(name)).isFalse();
            try (var files = Files.list(staging)) {
                assertThat(files).isEmpty();
            }
            MigrationPlan.Collection c = plan.collections().get(0);
            assertThat(c.schema().name()).isEqualTo(name);
            assertThat(c.rows()).isEqualTo(3000);
            assertThat(c.bytes()).isEqualTo(3000L * (8 + 24 * 4));
            // 3000 × 96 vector bytes in files of at most 100,000 bytes: at least 3 groups, one import each
            assertThat(c.fileGroups()).isGreaterThanOrEqualTo(3);
            assertThat(c.importJobs()).isEqualTo(c.fileGroups());
            assertThat(c.index().orElseThrow().toString()).isEqualTo("IVF_FLAT/L2 {\"nlist\":16}");
        }
    }

    private DescIndexResponseWrapper.IndexDesc describeIndex(String collection, String field) {
        var r = milvus.client.describeIndex(DescribeIndexParam.newBuilder().withCollectionName(collection)
                .withFieldName(field).build());
        check(r);
        return new DescIndexResponseWrapper(r.getData()).getIndexDescByFieldName(field);
    }

    private boolean loaded(String collection) {
        var r = milvus.client.getLoadState(GetLoadStateParam.newBuilder().withCollectionName(collection).build());
        check(r);
        return r.getData().getState() == io.milvus.grpc.LoadState.LoadStateLoaded;
    }

    private static void check(io.milvus.param.R<?> r) {
        if (r.getStatus() != io.milvus.param.R.Status.Success.getCode()) {
            throw new IllegalStateException("Milvus: " + r.getMessage());
        }
    }
}
