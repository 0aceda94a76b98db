package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Milvus 2.x index matching a 1.x collection's engine type and index parameters, read from its catalogue. */
class Milvus1IndexesTest {
    @TempDir
    Path data;

    @Test
    void everyEngineMapsToItsMilvus2Counterpart() {
        assertThat(spec(1, "{}", false)).hasValue(IndexSpec.builder("FLAT").metric(MetricType.L2).build());
        assertThat(spec(2, "{\"nlist\": 16384}", false)).hasValue(IndexSpec.builder("IVF_FLAT")
                .param("nlist", 16384).metric(MetricType.L2).build());
        for (int sq8 : new int[] {3, 5, 13}) {
            assertThat(spec(sq8, "{\"nlist\":64}", false).orElseThrow().type()).isEqualTo("IVF_SQ8");
        }
        assertThat(spec(6, "{\"nlist\": 32, \"m\": 16}", false)).hasValue(IndexSpec.builder("IVF_PQ")
                .param("nlist", 32).param("m", 16).param("nbits", 8).metric(MetricType.L2).build());
        assertThat(spec(11, "{\"M\": 24, \"efConstruction\": 300}", false)).hasValue(IndexSpec.builder("HNSW")
                .param("M", 24).param("efConstruction", 300).metric(MetricType.L2).build());
        assertThat(spec(9, "{}", true).orElseThrow().type()).isEqualTo("BIN_FLAT");
        assertThat(spec(10, "{\"nlist\": 8}", true).orElseThrow().param("nlist")).hasValue(8L);
        // no counterpart in Milvus 2.3, or nothing recorded: the target's own default
        for (int none : new int[] {0, 4, 7, 8, 12}) {
            assertThat(spec(none, "{}", false)).as("engine %d", none).isEmpty();
        }
        // a binary collection recorded with a float engine contradicts itself
        assertThat(spec(2, "{}", true)).isEmpty();
    }

    @Test
    void theSourceSuggestsTheIndexItsCatalogueRecords() {
        var fx = new Milvus1Fixture(data);
        fx.table("c", Milvus1Fixture.NORMAL, 8, Milvus1Fixture.IP, "", "", 2, "{\"nlist\": 4}");
        fx.segment("c", "1", Milvus1Fixture.RAW, 1, 10, new int[] {}, "c", "");
        fx.writeCatalogue();
        try (var source = Milvus1Source.builder().directory(fx.root).build()) {
            var c = source.collections().get(0);
            assertThat(source.suggestedIndex(c)).hasValue(IndexSpec.builder("IVF_FLAT").param("nlist", 4)
                    .metric(MetricType.IP).build());
        }
    }

    private static Optional<IndexSpec> spec(int engine, String params, boolean binary) {
        return Milvus1Indexes.of(engine, params, binary, binary ? MetricType.HAMMING : MetricType.L2);
    }
}
