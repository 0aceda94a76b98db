package io.milvus.migration.milvus1;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code meta.json} the Go {@code milvus-migration} tool exported from a Milvus 1.x catalogue:
 * <pre>{@code
 * {"collections":[{"collection":"c","metric":1,"rows":10,"dim":8,
 *                  "segments":[{"collection":"c","segment":"1678...","dim":8,"rows":10,"fileSize":360}]}],
 *  "rows":10}
 * }</pre>
 * That tool exported live collections only and the segments holding raw vectors (file types raw, to-index and
 * backup), without partitions; each collection becomes a live {@code Tables} row and each segment a raw
 * {@code TableFiles} row whose {@code row_count} is the segment's {@code rows}. A segment with a {@code "partition"}
 * tag (written by {@link MetaJsonWriter}) belongs to the partition whose table its {@code "collection"} names,
 * which becomes a live partition row of the collection; other segments must name their own collection, if any.
 */
final class JsonCatalogReader implements CatalogReader {
    private final String file;
    private final Path path;
    private final Storage storage;
    private final String key;

    /** The file {@code file}. */
    JsonCatalogReader(Path file) {
        this.path = requireNonNull(file, "file is null");
        this.file = file.toString();
        this.storage = null;
        this.key = null;
    }

    /** The object {@code key} of {@code storage}. */
    JsonCatalogReader(Storage storage, String key) {
        this.storage = requireNonNull(storage, "storage is null");
        this.key = requireNonNull(key, "key is null");
        this.file = storage.describe() + " key " + key;
        this.path = null;
    }

    @Override
    public String describe() {
        return "meta.json catalogue " + file;
    }

    @Override
    public Catalog read() {
        String text = path != null ? readFile() : readObject();
        Object root = new Parser(text, file).parseDocument();
        var tables = new ArrayList<Catalog.Table>();
        var files = new ArrayList<Catalog.TableFile>();
        Map<String, Object> top = object(root, "the document");
        var partitions = new LinkedHashMap<String, Catalog.Table>();
        List<Object> collections = array(top.get("collections"), "collections");
        for (int i = 0; i < collections.size(); i++) {
            String at = "collections[" + i + "]";
            Map<String, Object> c = object(collections.get(i), at);
            String name = string(c.get("collection"), at + ".collection");
            tables.add(new Catalog.Table(name, Catalog.STATE_NORMAL, (int) number(c.get("dim"), at + ".dim"),
                    (int) number(c.get("metric"), at + ".metric"), "", ""));
            Object segs = c.get("segments");
            List<Object> segments = segs == null ? List.of() : array(segs, at + ".segments");
            for (int j = 0; j < segments.size(); j++) {
                String sat = at + ".segments[" + j + "]";
                Map<String, Object> s = object(segments.get(j), sat);
                String segment = string(s.get("segment"), sat + ".segment");
                String table = s.get("collection") == null ? name : string(s.get("collection"), sat + ".collection");
                if (s.get("partition") != null) {
                    String tag = string(s.get("partition"), sat + ".partition");
                    if (table.equals(name)) {
                        throw bad(sat + " has partition " + tag + " but names no partition table in .collection");
                    }
                    var partition = new Catalog.Table(table, Catalog.STATE_NORMAL, tables.get(tables.size() - 1)
                            .dimension(), tables.get(tables.size() - 1).metricType(), name, tag);
                    Catalog.Table known = partitions.putIfAbsent(table, partition);
                    if (known != null && !known.equals(partition)) {
                        throw bad(sat + ": partition table " + table + " has tag " + tag + " here and "
                                + known.partitionTag() + " (of collection " + known.ownerTable() + ") before");
                    }
                } else if (!table.equals(name)) {
                    throw bad(sat + ".collection is " + table + ", not " + name + ", and it has no partition");
                }
                files.add(new Catalog.TableFile(table, segment, segment, Catalog.FILE_RAW,
                        number(s.get("rows"), sat + ".rows")));
            }
        }
        tables.addAll(partitions.values());
        return new Catalog(tables, files);
    }

    private String readFile() {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "Milvus 1.x meta.json " + file + " does not exist", e);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Milvus 1.x meta.json " + file + ": " + e,
                    e);
        }
    }

    private String readObject() {
        try (InputStream in = storage.read(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (MigrationException | IOException e) {
            boolean missing;
            try {
                missing = !storage.exists(key);
            } catch (MigrationException notKnown) {
                missing = false;
            }
            if (missing) {
                throw new MigrationException(ErrorCode.SOURCE_IO, "Milvus 1.x meta.json " + file + " does not exist",
                        e);
            }
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Milvus 1.x meta.json " + file + ": "
                    + (e instanceof MigrationException m ? m.getMessage() : e.toString()), e);
        }
    }

    private MigrationException bad(String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, "Milvus 1.x meta.json " + file + ": " + what);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object o, String at) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(at + " must be an object");
    }

    @SuppressWarnings("unchecked")
    private List<Object> array(Object o, String at) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad(at + " must be an array");
    }

    private String string(Object o, String at) {
        if (o instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw bad(at + " must be a non-empty string");
    }

    private long number(Object o, String at) {
        if (o instanceof Long l) {
            return l;
        }
        throw bad(at + " must be an integer");
    }

    /** A small JSON parser (objects, arrays, strings, integers, other numbers as Double, booleans, null). */
    private static final class Parser {
        private final String s;
        private final String file;
        private int i;

        Parser(String s, String file) {
            this.s = s;
            this.file = file;
        }

        Object parseDocument() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("unexpected text after the document");
            }
            return v;
        }

        private MigrationException error(String what) {
            return new MigrationException(ErrorCode.SOURCE_FORMAT, "Milvus 1.x meta.json " + file
                    + " is not valid JSON at character " + i + ": " + what);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return obj();
                case '[':
                    return arr();
                case '"':
                    return str();
                default:
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    return num();
            }
        }

        private Map<String, Object> obj() {
            var m = new LinkedHashMap<String, Object>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                ws();
                if (i >= s.length() || s.charAt(i) != '"') {
                    throw error("expected a key");
                }
                String k = str();
                ws();
                expect(':');
                m.put(k, value());
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        private List<Object> arr() {
            var l = new ArrayList<Object>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect(']');
                return l;
            }
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private String str() {
            i++;
            var b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        break;
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw error("bad \\u escape");
                            }
                            try {
                                b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw error("bad \\u escape");
                            }
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            throw error("unterminated string");
        }

        private Object num() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String t = s.substring(start, i);
            if (t.isEmpty()) {
                throw error("unexpected character '" + s.charAt(start) + "'");
            }
            try {
                return t.matches("-?\\d+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw error("bad number " + t);
            }
        }
    }
}
