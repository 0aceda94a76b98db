package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of rows in columnar form: one {@link Column} per field, all with the same row count, in schema order.
 *
 * @param position where the split stands after this batch
 * @param columns  field name to column, in schema order
 * @param skipped  rows the source left out since the batch before (by the user's choice); a batch may then have no
 *                 rows at all, only these
 */
public record Batch(Position position, Map<String, Column> columns, List<SkippedRow> skipped) {
    public Batch {
        requireNonNull(position, "position is null");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(columns, "columns is null")));
        skipped = List.copyOf(requireNonNull(skipped, "skipped is null"));
        long rows = -1;
        for (var e : columns.entrySet()) {
            int n = e.getValue().rowCount();
            if (rows >= 0 && n != rows) {
                throw new IllegalArgumentException("column " + e.getKey() + " has " + n + " rows, others " + rows);
            }
            rows = n;
        }
    }

    /** A batch in which no row was left out. */
    public Batch(Position position, Map<String, Column> columns) {
        this(position, columns, List.of());
    }

    /** Number of rows; 0 for a batch without columns. */
    public int rowCount() {
        return columns.isEmpty() ? 0 : columns.values().iterator().next().rowCount();
    }

    /** Approximate heap bytes of all columns. */
    public long sizeInBytes() {
        return columns.values().stream().mapToLong(Column::sizeInBytes).sum();
    }

    /** The column of this field. */
    public Column column(String field) {
        Column c = columns.get(field);
        if (c == null) {
            throw new IllegalArgumentException("batch has no field " + field + "; it has " + columns.keySet());
        }
        return c;
    }

    /** Rows {@code [from, to)} as a new batch with the same position, without the skipped rows. */
    public Batch slice(int from, int to) {
        var sliced = new LinkedHashMap<String, Column>();
        columns.forEach((name, column) -> sliced.put(name, column.slice(from, to)));
        return new Batch(position, sliced);
    }
}
