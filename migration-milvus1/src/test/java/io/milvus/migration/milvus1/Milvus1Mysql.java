package io.milvus.migration.milvus1;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test MariaDB from {@code scripts/mariadb-server.sh} ({@code MILVUS1_MYSQL_URL}, {@code MILVUS1_MYSQL_USER},
 * {@code MILVUS1_MYSQL_PASSWORD}); each catalogue gets its own database {@code <database>_<suffix>}. Fails (never
 * skips) when the environment is not set. Public for migration-cli's tests (test-jar).
 */
public final class Milvus1Mysql {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final String url;
    public final String user;
    public final String password;

    private Milvus1Mysql(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** From the environment, or an IllegalStateException saying how to start the server. */
    public static Milvus1Mysql fromEnv() {
        String url = System.getenv("MILVUS1_MYSQL_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("MILVUS1_MYSQL_URL is not set: start the test MariaDB with "
                    + "scripts/mariadb-server.sh start and export its env (eval \"$(scripts/mariadb-server.sh env)\")");
        }
        return new Milvus1Mysql(url, System.getenv("MILVUS1_MYSQL_USER"), System.getenv("MILVUS1_MYSQL_PASSWORD"));
    }

    /** host:port of the server. */
    public String hostPort() {
        String rest = url.substring(url.indexOf("//") + 2);
        return rest.substring(0, rest.indexOf('/'));
    }

    /** A fresh, empty database for one catalogue; returns its name. */
    public String createDatabase() {
        String base = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String name = base + "_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        execute("DROP DATABASE IF EXISTS `" + name + "`", "CREATE DATABASE `" + name + "`");
        return name;
    }

    /** The JDBC URL of one database on the server. */
    public String urlOf(String database) {
        return "jdbc:mariadb://" + hostPort() + "/" + database;
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
