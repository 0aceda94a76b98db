package io.milvus.migration.pgvector;

import java.util.TreeMap;

/** Parses pgvector's text forms: {@code [1,2.5,3]}, {@code {1:0.5,3:2}/10} and bit strings. */
final class PgVectors {
    private PgVectors() {
    }

    /** {@code [1,2,3]} (vector, halfvec) into {@code out} from {@code at}; returns the dimension read. */
    static int parseDense(String text, float[] out, int at, int dim) {
        int n = text.length();
        if (n < 2 || text.charAt(0) != '[' || text.charAt(n - 1) != ']') {
            throw new IllegalArgumentException("not a vector: " + abbreviate(text));
        }
        int count = 0;
        int start = 1;
        for (int i = 1; i < n; i++) {
            char c = text.charAt(i);
            if (c == ',' || i == n - 1) {
                if (i > start) {
                    if (count >= dim) {
                        throw new IllegalArgumentException("vector has more than " + dim + " values");
                    }
                    out[at + count++] = Float.parseFloat(text.substring(start, i));
                }
                start = i + 1;
            }
        }
        return count;
    }

    /** pgvector's sparse text {@code {1:0.5,3:2}/10}: 1-based indices, made 0-based as Milvus has them. */
    static TreeMap<Long, Float> parseSparse(String text) {
        int close = text.lastIndexOf('}');
        if (!text.startsWith("{") || close < 0) {
            throw new IllegalArgumentException("not a sparse vector: " + abbreviate(text));
        }
        var out = new TreeMap<Long, Float>();
        String body = text.substring(1, close).trim();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split(",")) {
            int colon = pair.indexOf(':');
            out.put(Long.parseLong(pair.substring(0, colon).trim()) - 1, Float.parseFloat(pair.substring(colon + 1)));
        }
        return out;
    }

    /** A bit string {@code 0101...} packed 8 bits a byte, first bit in the high bit (as Milvus packs them). */
    static void packBits(String bits, byte[] out, int at, int dim) {
        if (bits.length() != dim) {
            throw new IllegalArgumentException("bit string has " + bits.length() + " bits, the column " + dim);
        }
        for (int i = 0; i < dim; i++) {
            char c = bits.charAt(i);
            if (c == '1') {
                out[at + i / 8] |= (byte) (0x80 >>> (i % 8));
            } else if (c != '0') {
                throw new IllegalArgumentException("not a bit string: " + abbreviate(bits));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
