package io.milvus.migration.checkpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test MariaDB of {@code scripts/mariadb-server.sh} ({@code MILVUS1_MYSQL_URL}, {@code MILVUS1_MYSQL_USER},
 * {@code MILVUS1_MYSQL_PASSWORD}), with a fresh database {@code <database>_ckpt...} per test. Fails (never skips)
 * when the environment is not set.
 */
public final class TestMariaDb {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final String url;
    public final String user;
    public final String password;

    private TestMariaDb(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static TestMariaDb fromEnv() {
        String url = System.getenv("MILVUS1_MYSQL_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("MILVUS1_MYSQL_URL is not set: start the test MariaDB with "
                    + "scripts/mariadb-server.sh start and export its env (eval \"$(scripts/mariadb-server.sh env)\")");
        }
        return new TestMariaDb(url, System.getenv("MILVUS1_MYSQL_USER"), System.getenv("MILVUS1_MYSQL_PASSWORD"));
    }

    public String hostPort() {
        String rest = url.substring(url.indexOf("//") + 2);
        return rest.substring(0, rest.indexOf('/'));
    }

    /** A fresh, empty database; returns its name. */
    public String createDatabase() {
        String base = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String name = base + "_ckpt" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        execute("DROP DATABASE IF EXISTS `" + name + "`", "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        return name;
    }

    public String urlOf(String database) {
        return "jdbc:mariadb://" + hostPort() + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(urlOf(database), user, password);
    }

    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS `" + name + "`");
    }

    private void execute(String... sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test MariaDB at " + url + ": " + e.getMessage(), e);
        }
    }
}
