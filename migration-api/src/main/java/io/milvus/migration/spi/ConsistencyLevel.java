package io.milvus.migration.spi;

/** Consistency levels of a Milvus 2.x collection. */
public enum ConsistencyLevel {
    /** Reads see every write acknowledged before them. */
    STRONG,
    /** A client sees its own writes. */
    SESSION,
    /** Reads may lag writes by a bounded time. */
    BOUNDED,
    /** Reads may lag writes without bound. */
    EVENTUALLY
}
