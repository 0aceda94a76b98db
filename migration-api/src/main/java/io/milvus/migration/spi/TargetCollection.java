package io.milvus.migration.spi;

import java.util.Optional;

/**
 * One collection being loaded. The engine calls {@link #insert} or {@link #submitImport} and {@link #importStatus}
 * (possibly from several threads), {@link #rowCount()} to check, then {@link #finish()} once; or {@link #drop()}
 * when a failed migration leaves nothing of value in a collection it created.
 */
public interface TargetCollection {

    /** The collection's name in the target. */
    String name();

    /** Whether this job created the collection (in this attempt or an earlier one). */
    boolean created();

    /** Rows the collection durably holds now (flushing first where the target needs it). */
    long rowCount();

    /**
     * Inserts the rows of a batch into a partition ("" for the default one, others are created when first used);
     * returns when the target has accepted them. With {@code replace}, rows whose primary key exists replace it
     * (an upsert), so that a batch sent again after a crash is not duplicated.
     */
    void insert(String partition, Batch batch, boolean replace);

    /**
     * Submits the import of one staged file group into its partition (created when first used) and returns at
     * once.
     *
     * @param staging where the group's files are; the target names them as it reads them (a key in its bucket, a
     *                local path)
     * @return the target's id of the import job, for {@link #importStatus}
     * @throws io.milvus.migration.MigrationException {@code IMPORT_FAILED} if the target refuses the files,
     *                                                {@code TARGET_UNAVAILABLE} if it cannot be reached
     */
    String submitImport(BulkFileGroup group, Storage staging);

    /** How an import job submitted earlier (possibly by another process) stands. */
    ImportStatus importStatus(String importId);

    /**
     * The id of an import of exactly this group's files that was submitted earlier, if the target still knows one:
     * a crash between submitting and recording the id must not import the group twice.
     */
    Optional<String> findImport(BulkFileGroup group, Storage staging);

    /** Builds the index and loads the collection, as configured; called once after every row is in. */
    void finish();

    /**
     * Builds the indexes and loads the collection, as configured, where {@code suggested} are the indexes the
     * source suggests (used where the configuration does not name one); called once after every row is in instead
     * of {@link #finish()}. The default ignores the suggestions.
     */
    default void finish(java.util.List<IndexSpec> suggested) {
        finish();
    }

    /** Drops the collection. Never throws; logs what it could not do. */
    void drop();
}
