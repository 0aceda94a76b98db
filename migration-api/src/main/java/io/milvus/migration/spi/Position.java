package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

/**
 * How far a split has been read: the rows of split {@code splitId} before this point are done. A checkpoint store
 * keeps positions so that a stopped migration can resume where it left off.
 *
 * @param splitId  the {@link Split#id()} this position belongs to
 * @param rowsRead rows of the split read up to and including the batch carrying this position
 */
public record Position(String splitId, long rowsRead) {
    public Position {
        requireNonNull(splitId, "splitId is null");
        if (rowsRead < 0) {
            throw new IllegalArgumentException("rowsRead is negative: " + rowsRead);
        }
    }
}
