package io.milvus.migration.milvus1;

import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Milvus 2.x index that matches a Milvus 1.x collection's {@code engine_type} and {@code index_params}
 * (Milvus 1.1's {@code EngineType}: 1 FAISS_IDMAP, 2 FAISS_IVFFLAT, 3 FAISS_IVFSQ8, 4 NSG_MIX, 5 FAISS_IVFSQ8H,
 * 6 FAISS_PQ, 7 SPTAG_KDT, 8 SPTAG_BKT, 9 FAISS_BIN_IDMAP, 10 FAISS_BIN_IVFFLAT, 11 HNSW, 12 ANNOY,
 * 13 FAISS_IVFSQ8NR, 14 HNSW_SQ8NM).
 */
final class Milvus1Indexes {
    private static final Pattern NUMBER = Pattern.compile("\"([A-Za-z_]+)\"\\s*:\\s*(\\d+)");

    private Milvus1Indexes() {
    }

    /**
     * The matching index; empty when the catalogue does not say (engine 0), and for engines 2.3 has no
     * counterpart of (NSG, SPTAG, ANNOY), which the target then indexes its own default way.
     */
    static Optional<IndexSpec> of(int engineType, String indexParams, boolean binary, MetricType metric) {
        boolean binaryEngine = engineType == 9 || engineType == 10;
        if (engineType != 0 && binaryEngine != binary) {
            // a catalogue row that contradicts itself: index the vectors the default way rather than fail
            return Optional.empty();
        }
        long nlist = param(indexParams, "nlist", 1024);
        IndexSpec.Builder b = switch (engineType) {
            case 1 -> IndexSpec.builder("FLAT");
            case 2 -> IndexSpec.builder("IVF_FLAT").param("nlist", nlist);
            case 3, 5, 13 -> IndexSpec.builder("IVF_SQ8").param("nlist", nlist);
            case 6 -> IndexSpec.builder("IVF_PQ").param("nlist", nlist).param("m", param(indexParams, "m", 8))
                    .param("nbits", 8);
            case 9 -> IndexSpec.builder("BIN_FLAT");
            case 10 -> IndexSpec.builder("BIN_IVF_FLAT").param("nlist", nlist);
            case 11, 14 -> IndexSpec.builder("HNSW").param("M", param(indexParams, "M", 16))
                    .param("efConstruction", param(indexParams, "efConstruction", 200));
            default -> null;
        };
        return b == null ? Optional.empty() : Optional.of(b.metric(metric).build());
    }

    /** A whole-number parameter of {@code index_params}, or {@code fallback} when it is absent. */
    private static long param(String json, String name, long fallback) {
        Matcher m = NUMBER.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Long.parseLong(m.group(2));
            }
        }
        return fallback;
    }
}
