package io.milvus.migration.milvus2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Primary-key ranges of a Milvus 2.x partition and the query expressions that read them. Keys are {@code Long} (an
 * Int64 key) or {@code String} (a VarChar key, ordered as Milvus orders them: by UTF-8 bytes, which is code point
 * order).
 */
final class KeyRanges {
    /** Keys per key-scan request: Milvus answers at most 16,384 rows per query (its query result window). */
    static final int SCAN_PAGE = 16_384;

    private KeyRanges() {
    }

    /** Reads the keys of a partition in order, after a key (null: from the first). */
    interface KeyPages {
        /** Up to {@code limit} keys above {@code after}, in any order; empty when none are left. */
        List<Object> keysAfter(Object after, int limit);
    }

    /**
     * A range {@code (lower, upper]} of keys; a null bound is open.
     *
     * @param rows keys the range held when cut
     */
    record Range(Object lower, Object upper, long rows) {
    }

    /**
     * Cuts a partition into ranges of {@code rowsPerRange} keys (the last one open above, holding the rest), by one
     * scan of its keys: a key scan sends only keys, so it is cheap next to reading the rows.
     *
     * @return at least one range; a single open range if the partition holds at most {@code rowsPerRange} keys
     */
    static List<Range> cut(KeyPages pages, long rowsPerRange) {
        var out = new ArrayList<Range>();
        Object lower = null;
        Object after = null;
        long inRange = 0;
        while (true) {
            List<Object> page = new ArrayList<>(pages.keysAfter(after, SCAN_PAGE));
            if (page.isEmpty()) {
                break;
            }
            page.sort(ORDER);
            for (Object key : page) {
                inRange++;
                if (inRange == rowsPerRange) {
                    out.add(new Range(lower, key, inRange));
                    lower = key;
                    inRange = 0;
                }
            }
            after = page.get(page.size() - 1);
        }
        if (inRange > 0 || out.isEmpty()) {
            out.add(new Range(lower, null, inRange));
        } else {
            // the last full range is left open above, so rows added later past its key are read too
            Range last = out.remove(out.size() - 1);
            out.add(new Range(last.lower(), null, last.rows()));
        }
        return out;
    }

    /** Milvus's key order: numbers as numbers, text by code points (= UTF-8 bytes). */
    static final Comparator<Object> ORDER = (a, b) -> {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        return compareCodePoints((String) a, (String) b);
    };

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * The filter of the keys in {@code (lower, upper]} above {@code after}; any bound may be null. "" when nothing
     * bounds the keys.
     */
    static String expr(String keyField, Object lower, Object upper, Object after) {
        var parts = new ArrayList<String>();
        Object from = after != null ? after : lower;
        if (from != null) {
            parts.add(keyField + " > " + literal(from));
        }
        if (upper != null) {
            parts.add(keyField + " <= " + literal(upper));
        }
        return String.join(" && ", parts);
    }

    /** A key as a Milvus expression literal: a number, or a quoted string with {@code \} and {@code "} escaped. */
    static String literal(Object key) {
        if (key instanceof Long l) {
            return Long.toString(l);
        }
        String s = (String) key;
        var b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** A key from its text form (a cursor or a bound). */
    static Object parse(String text, boolean int64) {
        return text == null ? null : int64 ? (Object) Long.parseLong(text) : text;
    }

    /** A key's text form. */
    static String text(Object key) {
        return key == null ? null : key.toString();
    }
}
