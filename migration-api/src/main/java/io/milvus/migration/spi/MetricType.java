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
    JACCARD
}
