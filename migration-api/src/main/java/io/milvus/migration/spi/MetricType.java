package io.milvus.migration.spi;

/** Distance metrics of vector fields, named as Milvus 2.x names them. */
public enum MetricType {
    /** Euclidean distance. */
    L2,
    /** Inner product. */
    IP,
    /** Cosine similarity. */
    COSINE,
    /** Hamming distance (binary vectors). */
    HAMMING,
    /** Jaccard distance (binary vectors). */
    JACCARD,
    /** Tanimoto distance (binary vectors). */
    TANIMOTO,
    /** Whether the query is a substructure of the vector (binary vectors). */
    SUBSTRUCTURE,
    /** Whether the query is a superstructure of the vector (binary vectors). */
    SUPERSTRUCTURE,
    /** BM25 relevance of full-text search (sparse vectors made by a function). */
    BM25
}
