package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.BulkFormat;
import java.util.List;

/**
 * Staged files that a target imports together: for NumPy one file per field, for JSON one file.
 *
 * @param format    the files' format
 * @param keys      storage keys of the files
 * @param rows      rows the group holds
 * @param partition the target partition, "" for the default partition
 */
public record BulkFileGroup(BulkFormat format, List<String> keys, long rows, String partition) {
    public BulkFileGroup {
        requireNonNull(format, "format is null");
        keys = List.copyOf(requireNonNull(keys, "keys is null"));
        partition = partition == null ? "" : partition;
    }

    /** A group for the default partition. */
    public BulkFileGroup(BulkFormat format, List<String> keys, long rows) {
        this(format, keys, rows, "");
    }

    /** This group with its files named otherwise (same order). */
    public BulkFileGroup withKeys(List<String> newKeys) {
        return new BulkFileGroup(format, newKeys, rows, partition);
    }
}
