package io.milvus.migration.spi;

/**
 * A part of a source collection that can be read independently of the others, for example a row range of a Faiss
 * Flat index or a group of inverted lists of an IVF index. Splits are values: immutable and safe to share.
 */
public interface Split {
    /** A stable identifier, unique within its collection, the same each time the source is opened. */
    String id();

    /** Rows this split holds, or -1 if unknown before reading. */
    long estimatedRows();

    /** The partition of the target collection its rows go to; "" (the default) for the default partition. */
    default String partition() {
        return "";
    }
}
