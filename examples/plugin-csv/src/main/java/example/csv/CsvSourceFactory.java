package example.csv;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code csv} source: files of vectors with an id and scalar columns. In a {@code migration.yaml},
 * {@code dumper.worker.workMode: csv} and a {@code source.csv} section ({@link CsvSettings}); in a program or the
 * one-line {@code migrate}, {@code csv:/path/file.csv} (a header with types, all other settings their defaults).
 * Registered in {@code META-INF/services/io.milvus.migration.spi.SourceFactory}.
 */
public final class CsvSourceFactory implements ConfigurableSourceFactory<CsvSettings> {
    /** Called by {@link java.util.ServiceLoader}. */
    public CsvSourceFactory() {
    }

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public boolean supports(URI uri) {
        return "csv".equals(uri.getScheme());
    }

    @Override
    public Source create(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "CSV source URI " + uri + " names no file;"
                    + " use csv:/path/file.csv");
        }
        var s = new CsvSettings();
        s.files = List.of(path);
        validate(s);
        return create(s);
    }

    @Override
    public Class<CsvSettings> settingsType() {
        return CsvSettings.class;
    }

    @Override
    public void validate(CsvSettings s) {
        if (s.files == null || s.files.isEmpty() || s.files.stream().anyMatch(f -> f == null || f.isBlank())) {
            throw bad("files", "must list one or more files or directories");
        }
        if (s.delimiter == null || s.delimiter.length() != 1 || s.delimiter.equals("\"")
                || s.delimiter.equals("\n") || s.delimiter.equals("\r")) {
            throw bad("delimiter", "must be one character other than a quote or a line break");
        }
        if (s.splitBytes < 1) {
            throw bad("splitBytes", "must be positive, found " + s.splitBytes);
        }
        if (s.dimension != null && s.dimension < 1) {
            throw bad("dimension", "must be positive, found " + s.dimension);
        }
        metric(s);
        if (blank(s.idField) || blank(s.vectorField) || s.idField.equals(s.vectorField)) {
            throw bad("idField", "and 'vectorField' must name two different columns");
        }
        if (!s.header && (s.columns == null || s.columns.isEmpty())) {
            throw bad("columns", "must list the columns when header is false");
        }
        if (s.header && s.columns != null && !s.columns.isEmpty()) {
            throw bad("columns", "only goes with header: false; the header names the columns");
        }
        if (s.columns != null) {
            for (int i = 0; i < s.columns.size(); i++) {
                String c = s.columns.get(i);
                try {
                    CsvSource.ColumnSpec.parse(c, s);
                } catch (IllegalArgumentException e) {
                    throw bad("columns[" + i + "]", e.getMessage());
                }
            }
        }
        if (s.types != null) {
            s.types.forEach((name, type) -> {
                try {
                    ColumnType.parse(String.valueOf(type));
                } catch (IllegalArgumentException e) {
                    throw bad("types." + name, e.getMessage());
                }
            });
        }
        if (s.collection != null && s.collection.isBlank()) {
            throw bad("collection", "is empty");
        }
    }

    static MetricType metric(CsvSettings s) {
        String m = s.metric == null ? "" : s.metric.trim().toUpperCase(Locale.ROOT);
        return switch (m) {
            case "L2", "IP", "COSINE" -> MetricType.valueOf(m);
            default -> throw bad("metric", "must be L2, IP or COSINE, found '" + s.metric + "'");
        };
    }

    @Override
    public Source create(CsvSettings s) {
        return CsvSource.open(s, s.files.stream().map(Path::of).toList());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static MigrationException bad(String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "source.csv." + key + " " + problem);
    }
}
