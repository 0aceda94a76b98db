package io.milvus.migration.spi;

import java.io.Serializable;

/**
 * A part of a source collection that can be read independently of the others, for example a row range of a Faiss
 * Flat index or a group of inverted lists of an IVF index. Splits are plain data: immutable, safe to share, holding
 * no open file or client, and serializable, so that they can be stored and sent to other machines; a source opens
 * what a split names when {@link Source#open(Split, Position)} is called.
 */
public interface Split extends Serializable {
    /** A stable identifier, unique within its collection, the same each time the source is opened with the same
     * settings. */
    String id();

    /** Rows this split holds, or -1 if unknown before reading. */
    long estimatedRows();

    /** The partition of the target collection its rows go to; "" (the default) for the default partition. */
    default String partition() {
        return "";
    }
}
