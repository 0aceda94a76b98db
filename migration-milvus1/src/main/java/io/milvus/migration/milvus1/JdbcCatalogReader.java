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
 * {@code meta.sqlite} read-only; {@link #mysql(String, String, String)} a MySQL or MariaDB database through the
 * MariaDB driver. The password travels only in the connection properties and is blanked out of driver messages.
 */
final class JdbcCatalogReader implements CatalogReader {
    private static final String TABLES_SQL = "SELECT table_id, state, dimension, metric_type, owner_table,"
            + " partition_tag, engine_type, index_params FROM Tables";
    private static final String FILES_SQL = "SELECT table_id, segment_id, file_id, file_type, row_count, file_size"
            + " FROM TableFiles";

    private final String url;
    private final Properties properties;
    private final String description;
    private final String secret;

    JdbcCatalogReader(String url, Properties properties, String description) {
        this(url, properties, description, null);
    }

    private JdbcCatalogReader(String url, Properties properties, String description, String secret) {
        this.url = requireNonNull(url, "url is null");
        this.properties = requireNonNull(properties, "properties is null");
        this.description = requireNonNull(description, "description is null");
        this.secret = secret == null || secret.isEmpty() ? null : secret;
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

    /**
     * A reader of a MySQL or MariaDB catalogue (Milvus 1.x's {@code meta_uri: mysql://...}) through the MariaDB
     * driver. {@code jdbc:mysql:} URLs are read as {@code jdbc:mariadb:} ones. Connects only when read.
     *
     * @param jdbcUrl  {@code jdbc:mariadb://host:port/database} or {@code jdbc:mysql://...}; must not hold the
     *                 password
     * @param user     the user, or null to take it from the URL
     * @param password the password, or null for none
     */
    static JdbcCatalogReader mysql(String jdbcUrl, String user, String password) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        String url;
        if (jdbcUrl.startsWith("jdbc:mariadb:")) {
            url = jdbcUrl;
        } else if (jdbcUrl.startsWith("jdbc:mysql:")) {
            url = "jdbc:mariadb:" + jdbcUrl.substring("jdbc:mysql:".length());
        } else {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x MySQL catalogue: the JDBC URL must"
                    + " start with jdbc:mariadb: or jdbc:mysql:, found " + redactUrl(jdbcUrl));
        }
        var properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return new JdbcCatalogReader(url, properties, "MySQL catalogue " + redactUrl(url)
                + (user == null ? "" : " as " + user), password);
    }

    /** The URL without its query string and user info, which may hold credentials. */
    static String redactUrl(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q) + "?...";
        int scheme = base.indexOf("//");
        int at = base.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            base = base.substring(0, scheme + 2) + "***@" + base.substring(at + 1);
        }
        return base;
    }

    /** A driver message with the password, should the driver ever quote it, blanked out. */
    private String clean(String message) {
        String m = String.valueOf(message);
        return secret == null ? m : m.replace(secret, "***");
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
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8)));
                }
            }
            List<Catalog.TableFile> files = new ArrayList<>();
            try (ResultSet rs = query(st, FILES_SQL, "TableFiles")) {
                while (rs.next()) {
                    files.add(new Catalog.TableFile(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getInt(4), rs.getLong(5), rs.getLong(6)));
                }
            }
            return new Catalog(tables, files);
        } catch (SQLException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Milvus 1.x " + description + ": "
                    + clean(e.getMessage()), secret == null ? e : null);
        }
    }

    private ResultSet query(Statement st, String sql, String table) {
        try {
            return st.executeQuery(sql);
        } catch (SQLException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, description + " is not a Milvus 1.x catalogue:"
                    + " cannot read table " + table + " (" + clean(e.getMessage()) + ")", secret == null ? e : null);
        }
    }
}
