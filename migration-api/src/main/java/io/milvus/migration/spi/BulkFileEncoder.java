package io.milvus.migration.spi;

import io.milvus.migration.BulkFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes bulk-import files of a format the engine does not write itself (Parquet), found through
 * {@link java.util.ServiceLoader}, so that the engine carries no heavy file-format dependency. The engine writes one
 * file per file group through {@link #open}, on one thread per file.
 */
public interface BulkFileEncoder {

    /** The format this encoder writes. */
    BulkFormat format();

    /** The name of the one file of a group, such as {@code rows.parquet}. */
    String fileName();

    /**
     * Checks that every field of {@code schema} can be written in this format, before anything is written.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} naming the field, its type and the
     *                                                formats that carry it
     */
    void check(CollectionSchema schema);

    /** Starts a file at {@code file} for rows of {@code schema} (already {@link #check checked}). */
    FileWriter open(Path file, CollectionSchema schema) throws IOException;

    /**
     * At most the bytes row {@code row} of {@code batch} adds to a file, so that a file can be cut before it would
     * exceed its limit.
     */
    long maxRowBytes(Batch batch, int row);

    /** Bytes a file takes besides its rows (headers, footers, page headers) at most. */
    long overheadBytes();

    /** One file being written. */
    interface FileWriter extends Closeable {
        /** Appends the rows of {@code batch} (its columns are the schema's fields, plus {@code $meta}). */
        void write(Batch batch) throws IOException;

        /** Finishes the file. */
        @Override
        void close() throws IOException;
    }
}
