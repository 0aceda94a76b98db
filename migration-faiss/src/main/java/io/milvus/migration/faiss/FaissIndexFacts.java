package io.milvus.migration.faiss;

import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import java.util.Optional;

/**
 * What a parsed Faiss index says about how it searches (its kind, IVF nlist, HNSW M and efConstruction, SQ type,
 * PQ M and nbits), filled in by the parsers as they pass the headers, for the Milvus index that matches it.
 */
final class FaissIndexFacts {
    /** The outermost searching structure: FLAT, SQ, PQ, IVF_FLAT, IVF_SQ, IVF_PQ, HNSW, BIN_FLAT, BIN_IVF_FLAT. */
    String kind;
    long nlist;
    int hnswM;
    int efConstruction;
    int pqM;
    int pqNbits;

    /** Sets the kind unless an outer index set it already. */
    void kind(String k) {
        if (kind == null) {
            kind = k;
        }
    }

    /**
     * The Milvus index that searches as this Faiss index does: IVF_FLAT with the same nlist for IndexIVFFlat,
     * HNSW with the same M and efConstruction, FLAT for IndexFlat, IVF_SQ8 and IVF_PQ with nlist and (PQ) m and
     * nbits for the quantized ones (nlist 1 for IndexScalarQuantizer and IndexPQ, which scan every code), BIN_FLAT
     * and BIN_IVF_FLAT for binary indexes (Milvus 2.3 has no binary HNSW: BIN_FLAT).
     */
    Optional<IndexSpec> suggestion(MetricType metric) {
        if (kind == null) {
            return Optional.empty();
        }
        IndexSpec.Builder b = switch (kind) {
            case "FLAT" -> IndexSpec.builder("FLAT");
            case "IVF_FLAT" -> IndexSpec.builder("IVF_FLAT").param("nlist", nlist);
            case "IVF_SQ" -> IndexSpec.builder("IVF_SQ8").param("nlist", nlist);
            case "SQ" -> IndexSpec.builder("IVF_SQ8").param("nlist", 1);
            case "IVF_PQ", "PQ" -> pq(IndexSpec.builder("IVF_PQ").param("nlist", kind.equals("PQ") ? 1 : nlist));
            case "HNSW" -> IndexSpec.builder("HNSW").param("M", hnswM).param("efConstruction", efConstruction);
            case "BIN_IVF_FLAT" -> IndexSpec.builder("BIN_IVF_FLAT").param("nlist", nlist);
            default -> IndexSpec.builder("BIN_FLAT");
        };
        return Optional.of(b.metric(metric).build());
    }

    private IndexSpec.Builder pq(IndexSpec.Builder b) {
        b.param("m", pqM);
        if (pqNbits >= 1 && pqNbits <= 16) { // Milvus's range; beyond it Milvus's default (8) is used
            b.param("nbits", pqNbits);
        }
        return b;
    }
}
