package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Milvus index a Faiss file suggests, read from files real Faiss wrote with the parameters named in
 * scripts/faiss_fixtures.py (nlist, HNSW M; Faiss's default efConstruction is 40).
 */
class FaissSuggestedIndexTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = ';', value = {
        "flat_l2; FLAT; ; L2",
        "flat_ip; FLAT; ; IP",
        "ivfflat_l2; IVF_FLAT; nlist=16; L2",
        "ivfflat_ip; IVF_FLAT; nlist=8; IP",
        "idmap_ivfflat; IVF_FLAT; nlist=10; L2",
        "idmap_flat; FLAT; ; L2",
        "hnsw_flat; HNSW; M=16,efConstruction=40; L2",
        "hnsw_flat_ip; HNSW; M=8,efConstruction=40; IP",
        "hnsw_sq8; HNSW; M=16,efConstruction=40; L2",
        "sq_8bit; IVF_SQ8; nlist=1; L2",
        "ivfsq8_residual; IVF_SQ8; nlist=16; L2",
        "pq_8bit; IVF_PQ; nlist=1,m=4,nbits=8; L2",
        "ivfpq_residual; IVF_PQ; nlist=16,m=6,nbits=8; L2",
        "ivfpq_5bit; IVF_PQ; nlist=4,m=3,nbits=5; L2",
        "bin_flat_64; BIN_FLAT; ; HAMMING",
        "bin_ivf_64; BIN_IVF_FLAT; nlist=16; HAMMING",
        "bin_idmap2_ivf; BIN_IVF_FLAT; nlist=6; HAMMING",
        "bin_hnsw; BIN_FLAT; ; HAMMING"})
    void suggestsTheMatchingMilvusIndex(String fixture, String type, String params, MetricType metric) {
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index(fixture)).collection("c").build()) {
            IndexSpec spec = source.suggestedIndex(source.collections().get(0)).orElseThrow();
            assertThat(spec.type()).isEqualTo(type);
            assertThat(spec.metric()).contains(metric);
            var want = new java.util.TreeMap<String, Long>();
            if (params != null) {
                for (String kv : params.split(",")) {
                    want.put(kv.split("=")[0], Long.parseLong(kv.split("=")[1]));
                }
            }
            assertThat(spec.params()).isEqualTo(Map.copyOf(want));
        }
    }
}
