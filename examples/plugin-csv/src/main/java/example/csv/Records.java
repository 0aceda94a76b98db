package example.csv;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Splitting a record into fields, parsing vectors, and errors that name the file and line. */
final class Records {
    private Records() {
    }

    /**
     * The fields of one line: split by {@code delimiter}; a field in double quotes may hold the delimiter and
     * doubled quotes.
     *
     * @param error makes the exception for a problem
     */
    static List<String> split(String line, char delimiter, Function<String, MigrationException> error) {
        var fields = new ArrayList<String>();
        var field = new StringBuilder();
        int i = 0;
        while (true) {
            field.setLength(0);
            if (i < line.length() && line.charAt(i) == '"') {
                int open = i++;
                while (true) {
                    if (i >= line.length()) {
                        throw error.apply("the quote at character " + (open + 1) + " is not closed (a record is one"
                                + " line)");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != delimiter) {
                    throw error.apply("text after the closing quote at character " + i);
                }
            } else {
                while (i < line.length() && line.charAt(i) != delimiter) {
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            if (i >= line.length()) {
                return fields;
            }
            i++; // the delimiter
        }
    }

    /**
     * A vector cell: numbers separated by commas, semicolons or spaces, in optional brackets.
     *
     * @param dimension the dimension it must have, -1 for any
     */
    static float[] vector(String cell, int dimension, Path file, long lineStart, String column) {
        String s = cell.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        String[] parts = s.isEmpty() ? new String[0] : s.split("[\\s,;]+");
        if (parts.length == 0 || dimension >= 0 && parts.length != dimension) {
            throw format(file, lineStart, column, "has " + parts.length + " numbers, the dimension is "
                    + (dimension < 0 ? "at least 1" : dimension));
        }
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw format(file, lineStart, column, "element " + i + " '" + clip(parts[i]) + "' is not a number");
            }
            if (!Float.isFinite(v[i])) {
                throw format(file, lineStart, column, "element " + i + " is " + v[i]);
            }
        }
        return v;
    }

    /** A {@code SOURCE_FORMAT} error naming the file, the line (counted on demand), its byte offset, the column. */
    static MigrationException format(Path file, long lineStart, String column, String problem) {
        long line = lineNumber(file, lineStart);
        return new MigrationException(ErrorCode.SOURCE_FORMAT, "file " + file + (line > 0 ? " line " + line : "")
                + " (byte " + lineStart + ")" + (column == null ? "" : ", column " + column) + ": " + problem);
    }

    /** The 1-based number of the line starting at {@code offset}; -1 if the file cannot be read again. */
    private static long lineNumber(Path file, long offset) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long line = 1;
            long left = offset;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line++;
                    }
                }
                left -= n;
            }
            return line;
        } catch (IOException e) {
            return -1;
        }
    }

    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
