package example.csv;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CSV files of one collection: one record per line, fields split by a delimiter, quoted fields ({@code "a, ""b"""})
 * may hold delimiters and quotes but no line breaks. Immutable once opened, so {@link #open} may be called from
 * several threads.
 */
final class CsvSource implements Source {
    /** A column as a header or a {@code columns} entry names it: {@code name} or {@code name:TYPE}. */
    record ColumnSpec(String name, ColumnType type) {
        static ColumnSpec parse(String text, CsvSettings s) {
            int colon = text.indexOf(':');
            String name = (colon < 0 ? text : text.substring(0, colon)).trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("names no column: '" + text + "'");
            }
            return new ColumnSpec(name, colon < 0 ? null : ColumnType.parse(text.substring(colon + 1)));
        }
    }

    private final List<Path> files;
    private final char delimiter;
    private final boolean header;
    private final String headerLine;
    private final List<FieldSchema> columns;
    private final CollectionSchema schema;
    private final long splitBytes;

    private CsvSource(List<Path> files, char delimiter, boolean header, String headerLine, List<FieldSchema> columns,
                      CollectionSchema schema, long splitBytes) {
        this.files = files;
        this.delimiter = delimiter;
        this.header = header;
        this.headerLine = headerLine;
        this.columns = columns;
        this.schema = schema;
        this.splitBytes = splitBytes;
    }

    /** Finds the files and reads the first one's header (and, for the dimension, maybe its first record). */
    static CsvSource open(CsvSettings s, List<Path> given) {
        List<Path> files = expand(given);
        Path first = files.get(0);
        char delimiter = s.delimiter.charAt(0);
        String headerLine = "";
        List<ColumnSpec> specs = new ArrayList<>();
        long dataStart;
        try (var in = LineInput.atDataStart(first)) {
            if (s.header) {
                headerLine = in.readLine();
                if (headerLine == null || headerLine.isBlank()) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "file " + first + " line 1: no header"
                            + " (source.csv.header is true)");
                }
                List<String> names = Records.split(headerLine, delimiter,
                        problem -> Records.format(first, 0, null, problem));
                for (int i = 0; i < names.size(); i++) {
                    try {
                        specs.add(ColumnSpec.parse(names.get(i), s));
                    } catch (IllegalArgumentException e) {
                        throw Records.format(first, 0, "header column " + (i + 1), e.getMessage());
                    }
                }
            } else {
                s.columns.forEach(c -> specs.add(ColumnSpec.parse(c, s)));
            }
            dataStart = in.offset();
        } catch (IOException e) {
            throw io(first, e);
        }
        List<FieldSchema> fields = fields(s, specs, first, dataStart, delimiter);
        String name = s.collection != null ? s.collection.trim()
                : first.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("\\W", "_");
        var schema = CollectionSchema.builder(name).fields(fields).build();
        return new CsvSource(files, delimiter, s.header, headerLine, fields, schema, s.splitBytes);
    }

    /** The given files, directories replaced by their {@code *.csv} files in name order. */
    private static List<Path> expand(List<Path> given) {
        var files = new ArrayList<Path>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    list.filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f)).sorted()
                            .forEach(files::add);
                } catch (IOException e) {
                    throw io(p, e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "source.csv.files: " + p
                        + " is neither a file nor a directory");
            }
        }
        if (files.isEmpty()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "source.csv.files: " + given
                    + " holds no .csv file");
        }
        return List.copyOf(files);
    }

    /** The fields of the columns, in file order: types from the spec, else {@code types}, else the defaults. */
    private static List<FieldSchema> fields(CsvSettings s, List<ColumnSpec> specs, Path first, long dataStart,
                                            char delimiter) {
        Map<String, String> types = s.types == null ? Map.of() : s.types;
        var names = new HashSet<String>();
        for (ColumnSpec c : specs) {
            if (!names.add(c.name())) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, "file " + first + ": column " + c.name()
                        + " is named twice");
            }
        }
        for (String t : types.keySet()) {
            if (!names.contains(t)) {
                throw CsvSourceFactory.bad("types." + t, "names no column; the columns are " + names);
            }
        }
        for (String key : List.of(s.idField, s.vectorField)) {
            if (!names.contains(key)) {
                throw CsvSourceFactory.bad(key.equals(s.idField) ? "idField" : "vectorField", "is " + key
                        + ", which is none of the columns " + specs.stream().map(ColumnSpec::name).toList()
                        + " of " + first);
            }
        }
        MetricType metric = CsvSourceFactory.metric(s);
        var fields = new ArrayList<FieldSchema>();
        for (int i = 0; i < specs.size(); i++) {
            ColumnSpec c = specs.get(i);
            ColumnType type = c.type();
            if (type != null && types.containsKey(c.name())) {
                throw CsvSourceFactory.bad("types." + c.name(), "types a column whose header gives its type");
            }
            if (type == null && types.containsKey(c.name())) {
                type = ColumnType.parse(types.get(c.name()));
            }
            boolean id = c.name().equals(s.idField);
            boolean vector = c.name().equals(s.vectorField);
            if (type == null) {
                if (!id && !vector) {
                    throw CsvSourceFactory.bad("types", "gives no type to column " + c.name() + " of " + first
                            + ": write it in the header (" + c.name() + ":VARCHAR(64)) or under types");
                }
                type = new ColumnType(id ? DataType.INT64 : DataType.FLOAT_VECTOR, 0);
            }
            if (id && type.type() != DataType.INT64 && type.type() != DataType.VARCHAR) {
                throw CsvSourceFactory.bad("idField", "is column " + c.name() + " of type " + type.type()
                        + "; a primary key is INT64 or VARCHAR");
            }
            if (vector != (type.type() == DataType.FLOAT_VECTOR)) {
                throw CsvSourceFactory.bad("vectorField", vector ? "is column " + c.name() + " of type "
                        + type.type() + ", not FLOAT_VECTOR" : "is " + s.vectorField + ", but column " + c.name()
                        + " is a vector too; one vector column is read");
            }
            FieldSchema.Builder f = FieldSchema.builder(c.name(), type.type()).primaryKey(id);
            if (type.type() == DataType.VARCHAR) {
                f.maxLength(type.size());
            } else if (vector) {
                f.dimension(dimension(s, type, first, dataStart, delimiter, i)).metric(metric);
            }
            fields.add(f.build());
        }
        return List.copyOf(fields);
    }

    private static int dimension(CsvSettings s, ColumnType type, Path first, long dataStart, char delimiter,
                                 int column) {
        if (type.size() > 0 && s.dimension != null && s.dimension != type.size()) {
            throw CsvSourceFactory.bad("dimension", "is " + s.dimension + " but the header of " + first + " says "
                    + type.size());
        }
        if (type.size() > 0) {
            return type.size();
        }
        if (s.dimension != null) {
            return s.dimension;
        }
        try (var in = LineInput.at(first, dataStart)) {
            for (long at = in.offset(); ; at = in.offset()) {
                String line = in.readLine();
                if (line == null) {
                    throw CsvSourceFactory.bad("dimension", "is not set and " + first + " has no record to tell it");
                }
                if (!line.isBlank()) {
                    long lineStart = at;
                    List<String> cells = Records.split(line, delimiter,
                            p -> Records.format(first, lineStart, null, p));
                    if (column >= cells.size()) {
                        throw Records.format(first, lineStart, null, "has " + cells.size() + " fields");
                    }
                    return Records.vector(cells.get(column), -1, first, lineStart, s.vectorField).length;
                }
            }
        } catch (IOException e) {
            throw io(first, e);
        }
    }

    static MigrationException io(Path file, IOException e) {
        return new MigrationException(e instanceof NoSuchFileException ? ErrorCode.INVALID_CONFIG
                : ErrorCode.SOURCE_IO, "cannot read " + file + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }

    @Override
    public String describe() {
        return "csv " + files.get(0) + (files.size() > 1 ? " and " + (files.size() - 1) + " more files" : "");
    }

    @Override
    public List<SourceCollection> collections() {
        return List.of(new SourceCollection(schema, -1));
    }

    /** Byte ranges of {@code splitBytes} of each file; every file's header must be the first file's. */
    @Override
    public List<Split> splits(SourceCollection collection) {
        var splits = new ArrayList<Split>();
        for (Path file : files) {
            long dataStart;
            long size;
            try (var in = LineInput.atDataStart(file)) {
                if (header) {
                    String line = in.readLine();
                    if (!headerLine.equals(line)) {
                        throw Records.format(file, 0, null, "header '" + line + "' is not '" + headerLine
                                + "' of " + files.get(0));
                    }
                }
                dataStart = in.offset();
                size = Files.size(file);
            } catch (IOException e) {
                throw io(file, e);
            }
            for (long start = dataStart; start < size; start += splitBytes) {
                splits.add(new CsvSplit(file.toString(), start, Math.min(size, start + splitBytes),
                        start == dataStart));
            }
        }
        return splits;
    }

    @Override
    public SplitReader open(Split split) {
        var s = (CsvSplit) split;
        return new CsvSplitReader(s, columns, delimiter, s.dataStart() ? s.start() : s.start() - 1, 0,
                !s.dataStart());
    }

    /** Continues after {@code from}, whose cursor is the byte offset of the next record. */
    @Override
    public SplitReader open(Split split, Position from) {
        if (from.isStart()) {
            return open(split);
        }
        var s = (CsvSplit) split;
        long offset;
        try {
            offset = from.cursorAsLong();
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "split " + s.id() + ": " + e.getMessage());
        }
        if (offset < s.start()) { // past the end is fine: the last record may end there
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "split " + s.id() + ": cursor " + offset
                    + " is before its byte range [" + s.start() + ", " + s.end() + ")");
        }
        return new CsvSplitReader(s, columns, delimiter, offset, from.rowsRead(), false);
    }

    @Override
    public void close() {
        // nothing open: each reader opens its file
    }
}
