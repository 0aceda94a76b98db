package io.milvus.migration.checkpoint;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A checkpoint store in one table of a SQL database, {@code migration_checkpoints(job_id, kind, entry_key, value)},
 * through one connection opened on first use. Writes of one call are one transaction. Thread-safe (calls are
 * serialised on the connection).
 */
final class JdbcCheckpointStore implements CheckpointStore {
    enum Dialect { SQLITE, MYSQL }

    static final String TABLE = "migration_checkpoints";
    /** How long a call waits for a lock another process or session holds before it fails. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    private final Dialect dialect;
    private final String url;
    private final String user;
    private final String password;
    private final String description;
    private final Duration lockTimeout;
    private Connection connection;

    JdbcCheckpointStore(Dialect dialect, String url, String user, String password, String description,
                        Duration lockTimeout) {
        this.dialect = dialect;
        this.url = url;
        this.user = user;
        this.password = password;
        this.description = description;
        this.lockTimeout = lockTimeout;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public synchronized List<Entry> read(String jobId) {
        try (PreparedStatement ps = connection().prepareStatement("SELECT kind, entry_key, entry_value FROM " + TABLE
                + " WHERE job_id = ?")) {
            ps.setString(1, jobId);
            var out = new ArrayList<Entry>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw error("read job " + jobId + " from", e);
        }
    }

    @Override
    public synchronized List<String> jobIds() {
        try (Statement st = connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT job_id FROM " + TABLE + " ORDER BY job_id")) {
            var out = new ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw error("list the jobs in", e);
        }
    }

    @Override
    public synchronized void write(String jobId, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String sql = dialect == Dialect.SQLITE
                ? "INSERT INTO " + TABLE + " (job_id, kind, entry_key, entry_value) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (job_id, kind, entry_key) DO UPDATE SET entry_value = excluded.entry_value"
                : "INSERT INTO " + TABLE + " (job_id, kind, entry_key, entry_value) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE entry_value = VALUES(entry_value)";
        Connection c = connection();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Entry e : entries) {
                    ps.setString(1, jobId);
                    ps.setString(2, e.kind());
                    ps.setString(3, e.key());
                    ps.setString(4, e.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            rollback(c);
            throw error("record job " + jobId + " in", e);
        } finally {
            autoCommit(c);
        }
    }

    @Override
    public synchronized void drop(String jobId) {
        try (PreparedStatement ps = connection().prepareStatement("DELETE FROM " + TABLE + " WHERE job_id = ?")) {
            ps.setString(1, jobId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw error("drop job " + jobId + " from", e);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing is pending: every write commits
            }
            connection = null;
        }
    }

    @Override
    public String toString() {
        return "CheckpointStore[" + description + (user == null ? "" : ", user=" + user) + "]";
    }

    private Connection connection() {
        if (connection == null) {
            var props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password);
            }
            Connection c = null;
            try {
                if (dialect == Dialect.SQLITE) {
                    // wait for another process's lock a while rather than fail at once
                    props.setProperty("busy_timeout", Long.toString(lockTimeout.toMillis()));
                }
                c = DriverManager.getConnection(url, props);
                try (Statement st = c.createStatement()) {
                    if (dialect == Dialect.MYSQL) {
                        // the server's defaults wait 50 s for a row lock and a year for a table lock (LOCK TABLES,
                        // a backup's FLUSH TABLES WITH READ LOCK): fail like SQLite does instead
                        long s = Math.max(1, (lockTimeout.toMillis() + 999) / 1000);
                        st.execute("SET SESSION lock_wait_timeout = " + s + ", innodb_lock_wait_timeout = " + s);
                    }
                    st.execute(dialect == Dialect.SQLITE
                            ? "CREATE TABLE IF NOT EXISTS " + TABLE + " (job_id TEXT NOT NULL, kind TEXT NOT NULL,"
                                    + " entry_key TEXT NOT NULL, entry_value TEXT NOT NULL,"
                                    + " PRIMARY KEY (job_id, kind, entry_key))"
                            : "CREATE TABLE IF NOT EXISTS " + TABLE + " (job_id VARCHAR(128) NOT NULL,"
                                    + " kind VARCHAR(32) NOT NULL, entry_key VARCHAR(400) NOT NULL,"
                                    + " entry_value MEDIUMTEXT NOT NULL, PRIMARY KEY (job_id, kind, entry_key))"
                                    + " CHARACTER SET utf8mb4 COLLATE " + binaryCollation(st));
                }
                connection = c;
            } catch (SQLException e) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // reported below
                    }
                }
                throw error("open", e);
            }
        }
        return connection;
    }

    /**
     * A collation that compares keys exactly. utf8mb4_bin ignores trailing spaces ("PAD SPACE"), so that keys "a"
     * and "a " would be one entry; MariaDB and MySQL 8 have NO PAD binary collations under different names.
     */
    private static String binaryCollation(Statement st) throws SQLException {
        var found = new ArrayList<String>();
        try (ResultSet rs = st.executeQuery("SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE"
                + " COLLATION_NAME IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')")) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found.contains("utf8mb4_nopad_bin") ? "utf8mb4_nopad_bin"
                : found.contains("utf8mb4_0900_bin") ? "utf8mb4_0900_bin" : "utf8mb4_bin"; // MySQL 5.7: PAD SPACE
    }

    private MigrationException error(String action, SQLException e) {
        discardIfBroken();
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (password != null && !password.isEmpty()) {
            why = why.replace(password, "****");
        }
        String hint = why.contains("SQLITE_BUSY") || why.contains("locked") || why.contains("Lock wait timeout")
                ? " (locked by another process?)"
                : why.contains("SQLITE_READONLY") || why.contains("readonly") ? " (read-only?)"
                : why.contains("SQLITE_NOTADB") || why.contains("not a database") || why.contains("SQLITE_CORRUPT")
                        // another program's table of the same name
                        || why.contains("no such column") || why.contains("has no column named")
                        || why.contains("Unknown column")
                ? " (not a checkpoint database, or corrupt)"
                : why.contains("SQLITE_CANTOPEN") || why.contains("SQLITE_IOERR") ? sqliteFileHint() : "";
        return new MigrationException(ErrorCode.CHECKPOINT_IO, "cannot " + action + " checkpoint store "
                + description + hint + ": " + why);
    }

    /**
     * Forgets a connection the server closed (a restart, a network cut, a killed session), so that the next call
     * connects again instead of failing on it for ever.
     */
    private void discardIfBroken() {
        if (connection == null) {
            return;
        }
        boolean valid;
        try {
            valid = connection.isValid(2);
        } catch (SQLException e) {
            valid = false;
        }
        if (!valid) {
            close();
        }
    }

    /** Why SQLite could not open or write the file, from what the file system says of it. */
    private String sqliteFileHint() {
        Path file = Path.of(url.substring("jdbc:sqlite:".length()));
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            return " (a directory is in the way)";
        }
        if (dir != null && !Files.isDirectory(dir)) {
            return " (directory " + dir + " does not exist)";
        }
        // SQLite writes a journal file beside the database: the directory must be writable too
        return " (is the file or its directory " + dir + " read-only, or the disk full?)";
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the transaction is abandoned either way
        }
    }

    private static void autoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection fails the next call with its own error
        }
    }

    /** A JDBC URL without its query, which may carry credentials. */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
