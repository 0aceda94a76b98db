package io.milvus.migration.spark;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import java.io.Serializable;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code df.write.format("milvus")} that executors need: the staging URI and the writer settings,
 * plus what the schema is built from. Secret options (the target's token or password) are not in it: only the driver
 * connects to Milvus. Keys are lower case, as Spark's options are case-insensitive.
 */
final class WriteOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Options that may hold or lead to secrets: kept on the driver. */
    static final Set<String> DRIVER_ONLY = Set.of("uri", "token", "user", "password", "checkpoints");
    final Map<String, String> shipped;

    WriteOptions(Map<String, String> all) {
        var m = new HashMap<String, String>();
        all.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (!DRIVER_ONLY.contains(key)) {
                m.put(key, v);
            }
        });
        this.shipped = Map.copyOf(m);
    }

    /** What writes the files, on an executor (or the driver, with the target added). */
    Migration.Builder writing() {
        var b = Migration.builder().staging(URI.create(required(shipped, "staging")))
                .stagingPrefix(shipped.getOrDefault("stagingprefix", "migration"))
                .bulkFormat(BulkFormat.valueOf(shipped.getOrDefault("format", "json").toUpperCase(Locale.ROOT)));
        if (shipped.containsKey("maxfilebytes")) {
            b.maxFileBytes(Long.parseLong(shipped.get("maxfilebytes")));
        }
        return b;
    }

    /** Rows a task buffers before it hands them to the file writer. */
    int batchRows() {
        return integer(shipped, "batchrows", 4096);
    }

    static String required(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null || v.isBlank()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "format(\"milvus\") needs option " + key);
        }
        return v;
    }

    static int integer(Map<String, String> options, String key, int dflt) {
        String v = options.get(key);
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "option " + key + " must be a number: " + v);
        }
    }

    @Override
    public String toString() {
        return "WriteOptions" + shipped;
    }
}
