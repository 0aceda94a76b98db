package example.csv;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the records of one {@link CsvSplit}: those that start before its end. A split that does not begin where
 * the records do starts one byte early and skips to the next line break, so a record cut by the range boundary
 * belongs to the split it starts in. Used by one thread.
 */
final class CsvSplitReader implements SplitReader {
    private final CsvSplit split;
    private final Path file;
    private final List<FieldSchema> fields;
    private final char delimiter;
    private final LineInput in;
    private long rowsRead;

    CsvSplitReader(CsvSplit split, List<FieldSchema> fields, char delimiter, long from, long rowsRead,
                   boolean skipPartialRecord) {
        this.split = split;
        this.file = Path.of(split.file());
        this.fields = fields;
        this.delimiter = delimiter;
        this.rowsRead = rowsRead;
        try {
            this.in = LineInput.at(file, from);
            if (skipPartialRecord) {
                in.readLine();
            }
        } catch (IOException e) {
            throw CsvSource.io(file, e);
        }
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        var values = new ArrayList<List<Object>>();
        int vectorColumn = -1;
        int dimension = 0;
        for (int c = 0; c < fields.size(); c++) {
            values.add(new ArrayList<>());
            if (fields.get(c).type() == DataType.FLOAT_VECTOR) {
                vectorColumn = c;
                dimension = fields.get(c).dimension();
            }
        }
        float[] vectors = new float[Math.min(maxRows, 1024) * dimension];
        int rows = 0;
        try {
            while (rows < maxRows && in.offset() < split.end()) {
                long lineStart = in.offset();
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = Records.split(line, delimiter, p -> Records.format(file, lineStart, null, p));
                if (cells.size() != fields.size()) {
                    throw Records.format(file, lineStart, null, "has " + cells.size() + " fields, the header "
                            + fields.size());
                }
                for (int c = 0; c < cells.size(); c++) {
                    FieldSchema f = fields.get(c);
                    if (c == vectorColumn) {
                        float[] v = Records.vector(cells.get(c), dimension, file, lineStart, f.name());
                        if ((rows + 1) * dimension > vectors.length) {
                            vectors = Arrays.copyOf(vectors, Math.max(vectors.length * 2, (rows + 1) * dimension));
                        }
                        System.arraycopy(v, 0, vectors, rows * dimension, dimension);
                    } else {
                        values.get(c).add(scalar(f, cells.get(c), lineStart));
                    }
                }
                rows++;
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "split " + split.id() + ": cannot read " + file
                    + " at byte " + in.offset() + ": " + e.getClass().getSimpleName(), e);
        }
        if (rows == 0) {
            return Optional.empty();
        }
        rowsRead += rows;
        var columns = new LinkedHashMap<String, Column>();
        for (int c = 0; c < fields.size(); c++) {
            FieldSchema f = fields.get(c);
            if (c == vectorColumn) {
                columns.put(f.name(), new Column.FloatVectors(dimension, Arrays.copyOf(vectors, rows * dimension)));
            } else {
                try {
                    columns.put(f.name(), Column.of(f, values.get(c)));
                } catch (IllegalArgumentException e) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "split " + split.id() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return Optional.of(new Batch(new Position(split.id(), rowsRead, Long.toString(in.offset())), columns));
    }

    /** One cell as the value {@link Column#of} takes for the field; failures name the file, line and column. */
    private Object scalar(FieldSchema f, String cell, long lineStart) {
        if (f.type() == DataType.VARCHAR) {
            int bytes = cell.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > f.maxLength()) {
                throw Records.format(file, lineStart, f.name(), "has " + bytes + " bytes, more than its max length "
                        + f.maxLength());
            }
            return cell;
        }
        String s = cell.strip();
        if (s.isEmpty()) {
            throw Records.format(file, lineStart, f.name(), "is empty; a " + f.type() + " column needs a value");
        }
        try {
            return switch (f.type()) {
                case BOOL -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new NumberFormatException();
                };
                case INT8, INT16, INT32 -> {
                    int v = Integer.parseInt(s);
                    int bits = f.type() == DataType.INT8 ? 8 : f.type() == DataType.INT16 ? 16 : 32;
                    if (bits < 32 && (v < -(1 << (bits - 1)) || v >= 1 << (bits - 1))) {
                        throw Records.format(file, lineStart, f.name(), v + " does not fit " + f.type());
                    }
                    yield v;
                }
                case INT64 -> Long.parseLong(s);
                case FLOAT -> Float.parseFloat(s);
                case DOUBLE -> Double.parseDouble(s);
                default -> s; // JSON: its text, checked by Milvus
            };
        } catch (NumberFormatException e) {
            throw Records.format(file, lineStart, f.name(), "'" + Records.clip(s) + "' is not a " + f.type());
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // read-only file: nothing is lost
        }
    }
}
