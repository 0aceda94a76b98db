package io.milvus.migration.storage;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;

/** Key arithmetic shared by the object-store backends: a root prefix inside the bucket plus relative keys. */
final class ObjectKeys {
    private ObjectKeys() {
    }

    /** {@code a/b} or {@code /a/b/} becomes {@code a/b/}; empty or null stays empty. */
    static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (!p.isEmpty() && !p.endsWith("/")) {
            p += "/";
        }
        return p;
    }

    /** The object name for {@code key} under {@code root}; rejects keys that climb out of the root. */
    static String objectName(String root, String key, String where) {
        requireNonNull(key, "key is null");
        if (key.startsWith("/") || key.equals("..") || key.startsWith("../") || key.contains("/../")
                || key.endsWith("/..")) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "key " + key + " points outside " + where);
        }
        return root + key;
    }

    /** Requires a positive value. */
    static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
