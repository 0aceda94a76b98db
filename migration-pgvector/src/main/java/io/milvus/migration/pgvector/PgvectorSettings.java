package io.milvus.migration.pgvector;

/**
 * The {@code source.pgvector} section of a {@code migration.yaml}, bound by {@link PgvectorSourceFactory}. Each field
 * maps onto the {@link PgvectorSource.Builder} method of the same meaning; its default is that method's.
 */
public final class PgvectorSettings {
    /** The JDBC URL, such as {@code jdbc:postgresql://127.0.0.1:5432/vectors}. Required. */
    public String url;
    /** The user; default the driver's. */
    public String user;
    /** The name of an environment variable holding the password (a password is never written in YAML). */
    public String passwordEnv = "PGPASSWORD";
    /** The table; either this or {@link #query}. */
    public String table;
    /** A query; needs {@link #collection} and {@link #primaryKey}. */
    public String query;
    /** The collection name; default the table's name. */
    public String collection;
    /** The key column; default the table's primary key. */
    public String primaryKey;
    /** Rows per split. */
    public long partRows = 100_000;
    /** {@code double} or {@code varchar}. */
    public String numeric = "double";
    /** {@code epoch_micros} or {@code varchar}. */
    public String temporal = "epoch_micros";
    /** Leave out columns of types without a Milvus field. */
    public boolean skipUnsupportedColumns;
}
