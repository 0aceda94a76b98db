package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * How far a split has been read: the rows of split {@code splitId} before this point are done. A checkpoint store
 * keeps positions so that a stopped migration resumes where it left off, through {@link Source#open(Split,
 * Position)}.
 *
 * @param splitId  the {@link Split#id()} this position belongs to
 * @param rowsRead rows of the split read up to and including the batch carrying this position
 * @param cursor   where to continue, as the source defines it (a physical row offset, a last primary key); ""
 *                 at the start of a split. Plain text, so that it can be stored and sent elsewhere.
 */
public record Position(String splitId, long rowsRead, String cursor) implements Serializable {
    public Position {
        requireNonNull(splitId, "splitId is null");
        requireNonNull(cursor, "cursor is null");
        if (rowsRead < 0) {
            throw new IllegalArgumentException("rowsRead is negative: " + rowsRead);
        }
    }

    /** A position whose cursor is the row count itself, as for sources that resume at a row offset. */
    public Position(String splitId, long rowsRead) {
        this(splitId, rowsRead, Long.toString(rowsRead));
    }

    /** The start of a split: nothing read yet. */
    public static Position start(String splitId) {
        return new Position(splitId, 0, "");
    }

    /** Whether nothing of the split has been read. */
    public boolean isStart() {
        return rowsRead == 0 && (cursor.isEmpty() || cursor.equals("0"));
    }

    /**
     * The cursor read as a row offset, for sources whose cursor is one ("" is 0).
     *
     * @throws IllegalArgumentException if the cursor is not a non-negative number
     */
    public long cursorAsLong() {
        if (cursor.isEmpty()) {
            return 0;
        }
        try {
            long v = Long.parseLong(cursor);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("position of split " + splitId + " has cursor '" + cursor
                + "', not a row offset");
    }
}
