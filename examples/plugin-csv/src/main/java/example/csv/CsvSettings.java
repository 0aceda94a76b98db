package example.csv;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code source.csv} section of a {@code migration.yaml}, bound by {@link CsvSourceFactory}: public fields with
 * their defaults, as the YAML binds them (a key that is not a field here is an error naming it).
 *
 * <pre>
 * source:
 *   csv:
 *     files: [/data/docs.csv]        # files, or directories whose *.csv files are read in name order
 *     collection: docs               # default: the first file's name without .csv
 *     types: {title: VARCHAR(128)}   # types of header columns that do not carry one (id:INT64, ...)
 * </pre>
 */
public final class CsvSettings {
    /** The files, or directories whose {@code *.csv} files are read (in name order); required. */
    public List<String> files = List.of();
    /** The collection's name. Default: the first file's name without its extension. */
    public String collection;
    /** Whether the first line of each file names the columns ({@code name} or {@code name:TYPE}). Default true. */
    public boolean header = true;
    /** The columns, as {@code name} or {@code name:TYPE}, when there is no header. Default: none. */
    public List<String> columns = List.of();
    /**
     * Column name to type, for columns whose header (or {@code columns} entry) has none: {@code BOOL},
     * {@code INT8} to {@code INT64}, {@code FLOAT}, {@code DOUBLE}, {@code VARCHAR(maxLength)}, {@code JSON},
     * {@code FLOAT_VECTOR(dimension)}. Default: none; the id and vector columns default to INT64 and FLOAT_VECTOR.
     */
    public Map<String, String> types = new LinkedHashMap<>();
    /** The primary key column (INT64 or VARCHAR). Default {@code id}. */
    public String idField = "id";
    /** The float vector column: {@code [0.1, 0.2]} or {@code 0.1 0.2}. Default {@code vector}. */
    public String vectorField = "vector";
    /** The vectors' dimension, when the header does not give it. Default: that of the first row. */
    public Integer dimension;
    /** The vectors' metric: L2, IP or COSINE. Default L2. */
    public String metric = "L2";
    /** The field separator, one character. Default {@code ,}. */
    public String delimiter = ",";
    /** Bytes of a file per split: the unit of parallelism and of resumption. Default 64 MiB. */
    public long splitBytes = 64L << 20;
}
