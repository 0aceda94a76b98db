package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

/**
 * A source row left out on purpose (the user chose to skip rows such as documents without their vector), as listed
 * in the {@link io.milvus.migration.MigrationReport}.
 *
 * @param id     the row as the source names it, such as {@code index/_id}
 * @param reason why it was left out, without the row's values
 */
public record SkippedRow(String id, String reason) implements java.io.Serializable {
    public SkippedRow {
        requireNonNull(id, "id is null");
        requireNonNull(reason, "reason is null");
    }
}
