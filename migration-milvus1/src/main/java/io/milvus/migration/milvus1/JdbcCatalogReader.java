package io.milvus.migration.milvus1;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * Reads the {@code Tables} and {@code TableFiles} tables over JDBC with plain SQL that SQLite, MySQL and MariaDB
 * all accept (Milvus 1.x creates the same tables and columns in each). {@link #sqlite(Path)} opens a
 * {@code meta.sqlite} read-only; a MySQL/MariaDB reader is this class with a {@code jdbc:mysql:} URL and
 * user/password properties.
 */
final class JdbcCatalogReader implements CatalogReader {
    private static final String TABLES_SQL = "SELECT table_id, state, dimension, metric_type, owner_table,"
            + " partition_tag FROM Tables";
    private static final String FILES_SQL = "SELECT table_id, segment_id, file_id, file_type, row_count"
            + " FROM TableFiles";

    private final String url;
    private final Properties properties;
    private final String description;

    JdbcCatalogReader(String url, Properties properties, String description) {
        this.url = requireNonNull(url, "url is null");
        this.properties = requireNonNull(properties, "properties is null");
        this.description = requireNonNull(description, "description is null");
    }

    /** A reader of a SQLite {@code meta.sqlite}, opened read-only; fails now if the file does not exist. */
    static JdbcCatalogReader sqlite(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "Milvus 1.x SQLite catalogue " + file
                    + " does not exist or is not a file");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        return new JdbcCatalogReader("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties(),
                "SQLite catalogue " + file);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Catalog read() {
        try (Connection c = DriverManager.getConnection(url, properties); Statement st = c.createStatement()) {
            var tables = new ArrayList<Catalog.Table>();
            try (ResultSet rs = query(st, TABLES_SQL, "Tables")) {
                while (rs.next()) {
                    tables.add(new Catalog.Table(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
            List<Catalog.TableFile> files = new ArrayList<>();
            try (ResultSet rs = query(st, FILES_SQL, "TableFiles")) {
                while (rs.next()) {
                    files.add(new Catalog.TableFile(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getInt(4), rs.getLong(5)));
                }
            }
            return new Catalog(tables, files);
        } catch (SQLException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Milvus 1.x " + description + ": "
                    + e.getMessage(), e);
        }
    }

    private ResultSet query(Statement st, String sql, String table) {
        try {
            return st.executeQuery(sql);
        } catch (SQLException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, description + " is not a Milvus 1.x catalogue:"
                    + " cannot read table " + table + " (" + e.getMessage() + ")", e);
        }
    }
}
