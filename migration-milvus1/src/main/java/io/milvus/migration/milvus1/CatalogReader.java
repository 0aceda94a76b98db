package io.milvus.migration.milvus1;

/**
 * Reads a Milvus 1.x catalogue. Implementations: {@link JdbcCatalogReader} (SQLite {@code meta.sqlite}; MySQL and
 * MariaDB hold the same tables and need only another JDBC URL) and {@link JsonCatalogReader} (the {@code meta.json}
 * of the Go {@code milvus-migration} tool). Called once, while a source is built, on the caller's thread.
 */
interface CatalogReader {
    /** Where the catalogue is, for messages; never contains passwords. */
    String describe();

    /**
     * Reads every {@code Tables} and {@code TableFiles} row, unfiltered.
     *
     * @throws io.milvus.migration.MigrationException SOURCE_IO if the catalogue cannot be opened or read,
     *                                                SOURCE_FORMAT if it is not a Milvus 1.x catalogue
     */
    Catalog read();
}
