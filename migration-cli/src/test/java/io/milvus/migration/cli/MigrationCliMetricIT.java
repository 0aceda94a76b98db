package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.grpc.LoadState;
import io.milvus.grpc.SearchResults;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.param.ConnectParam;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetLoadStateParam;
import io.milvus.param.dml.SearchParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.SearchResultsWrapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target.create.collection.metricType} and {@code index}/{@code load} of a {@code migration.yaml} reach the
 * real test Milvus: the index is built with the chosen metric and searches by it.
 */
class MigrationCliMetricIT {
    @TempDir
    Path dir;
    private MilvusServiceClient milvus;
    private String uri;
    private final String collection = "cli_metric_" + ProcessHandle.current().pid();

    @BeforeEach
    void connect() {
        uri = System.getenv("MILVUS_URI");
        assertThat(uri).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    @AfterEach
    void dropAndClose() {
        milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
        milvus.close();
    }

    private String start(YamlConfig config) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
             var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = MigrationCli.run(new String[] {"start", "-c", config.write(dir).toString()}, o, e, false, dir);
        }
        String output = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        return output;
    }

    private YamlConfig toMilvus(YamlConfig config) {
        return config.set("target.create.collection.name", collection)
                .set("target.create.collection.shardsNum", 1)
                .set("target.milvus2x.endpoint", uri)
                .remove("target.milvus2x.username")
                .remove("target.milvus2x.password");
    }

    private String indexMetric() {
        var index = milvus.describeIndex(DescribeIndexParam.newBuilder().withCollectionName(collection)
                .withFieldName("vector").build());
        assertThat(index.getStatus()).as("%s", index.getException()).isZero();
        return index.getData().getIndexDescriptions(0).getParamsList().stream()
                .filter(p -> p.getKey().equals("metric_type")).findFirst().orElseThrow().getValue();
    }

    private boolean loaded() {
        var state = milvus.getLoadState(GetLoadStateParam.newBuilder().withCollectionName(collection).build());
        return state.getData().getState() == LoadState.LoadStateLoaded;
    }

    private static SearchResultsWrapper.IDScore top1(R<SearchResults> r) {
        assertThat(r.getStatus()).as("%s", r.getException()).isZero();
        return new SearchResultsWrapper(r.getData().getResults()).getIDScore(0).get(0);
    }

    @Test
    void cosineChosenForAFloatIndexIsTheIndexMetricAndSearchesByCosine() {
        // the spelling target.create.{index, load}, read before the README's one, keeps working
        String output = start(toMilvus(YamlConfig.faiss("flat_l2", dir.resolve("out")))
                .set("target.create.collection.metricType", "COSINE")
                .set("target.create.index.type", "FLAT")
                .set("target.create.load", true));

        assertThat(output).contains("1000 rows loaded");
        assertThat(indexMetric()).isEqualTo("COSINE");
        assertThat(loaded()).isTrue();
        Map.Entry<Long, float[]> row = FaissFixtures.expected("flat_l2").rows().entrySet().iterator().next();
        var scaled = new ArrayList<Float>();
        for (float f : row.getValue()) {
            scaled.add(f * 3); // cosine does not see the length: the row itself comes first, similarity 1
        }
        var hit = top1(milvus.search(SearchParam.newBuilder().withCollectionName(collection)
                .withMetricType(MetricType.COSINE).withVectorFieldName("vector").withTopK(1)
                .withFloatVectors(List.of(scaled)).build()));
        assertThat(hit.getLongID()).isEqualTo(row.getKey());
        assertThat(hit.getScore()).isCloseTo(1.0f, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void jaccardChosenForABinaryIndexIsTheIndexMetricAndSearchesByJaccard() {
        String output = start(toMilvus(YamlConfig.faissBinary("bin_flat_64", dir.resolve("out")))
                .set("target.create.collection.metricType", "JACCARD")
                .set("target.create.collection.index.type", "BIN_FLAT")
                .set("target.create.collection.load", true));

        Map<Long, byte[]> expected = FaissFixtures.expectedBinary("bin_flat_64");
        assertThat(output).contains(expected.size() + " rows loaded");
        assertThat(indexMetric()).isEqualTo("JACCARD");
        assertThat(loaded()).isTrue();
        Map.Entry<Long, byte[]> row = expected.entrySet().iterator().next();
        var hit = top1(milvus.search(SearchParam.newBuilder().withCollectionName(collection)
                .withMetricType(MetricType.JACCARD).withVectorFieldName("vector").withTopK(1)
                .withBinaryVectors(List.of(java.nio.ByteBuffer.wrap(row.getValue()))).build()));
        assertThat(hit.getScore()).as("Jaccard distance of the row to itself").isZero();
    }

    @Test
    void binaryIndexWithHammingAndIvfIndex() {
        start(toMilvus(YamlConfig.faissBinary("bin_ivf_64", dir.resolve("out")))
                .set("target.create.collection.index.type", "BIN_IVF_FLAT")
                .set("target.create.collection.index.params", "{\"nlist\": 4}"));

        assertThat(indexMetric()).isEqualTo("HAMMING");
        assertThat(loaded()).as("an indexed collection is loaded unless load: false").isTrue();
    }
}
