package io.milvus.migration.pgvector;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tables in the real PostgreSQL with pgvector ({@code PGVECTOR_URL}, {@code PGVECTOR_USER}, {@code PGVECTOR_PASSWORD}
 * from {@code scripts/pgvector-server.sh env}). Fails without them: never skips.
 */
final class PgFixture {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    final String url = env("PGVECTOR_URL");
    final String user = env("PGVECTOR_USER");
    final String password = env("PGVECTOR_PASSWORD");

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start PostgreSQL with scripts/pgvector-server.sh "
                    + "start and export its env (eval \"$(scripts/pgvector-server.sh env)\")");
        }
        return v;
    }

    static String unique(String base) {
        return base + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    void exec(String... sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    PgvectorSource.Builder source() {
        return PgvectorSource.builder().url(url).user(user).password(password);
    }

    /**
     * A table of {@code rows} rows with every column kind: id bigint key, vector(4), halfvec(4), bit(16), sparsevec(10)
     * and scalars of each SQL type; row i's values are functions of i (row 3 holds the nulls of nullable columns).
     */
    String everyType(int rows) {
        String t = unique("every_type");
        exec("CREATE TABLE " + t + " (id bigint PRIMARY KEY, emb vector(4) NOT NULL, half halfvec(4) NOT NULL, "
                + "bits bit(16) NOT NULL, sparse sparsevec(10) NOT NULL, flag boolean NOT NULL, small smallint, "
                + "num integer NOT NULL, big bigint NOT NULL, r real NOT NULL, d double precision NOT NULL, "
                + "amount numeric(12,3) NOT NULL, title text NOT NULL, code varchar(12) NOT NULL, "
                + "u uuid NOT NULL, day date NOT NULL, at timestamp NOT NULL, atz timestamptz NOT NULL, "
                + "doc jsonb NOT NULL, j json NOT NULL, tags text[] NOT NULL, nums integer[] NOT NULL)",
                "INSERT INTO " + t + " SELECT i, "
                + "ARRAY[i, i / 3.0, -i * 1.5, 0.125]::vector, ARRAY[i % 100, 0.5, -2, i / 8.0]::halfvec, "
                + "(i % 65536)::bit(16), ('{' || (i % 9 + 1) || ':' || i || '.5,10:1}/10')::sparsevec, "
                + "i % 2 = 0, CASE WHEN i = 3 THEN NULL ELSE (i % 30000)::smallint END, i * 7, i * 10000000000, "
                + "i / 4.0, i / 4.0 + 0.5, i * 1.125, 'title ' || i || repeat('é', i % 5), 'c' || i, "
                + "md5(i::text)::uuid, date '2024-01-01' + i, timestamp '2024-01-01 10:00:00.5' + i * interval '1 h', "
                + "timestamptz '2024-01-01 10:00:00+02' + i * interval '1 s', "
                + "jsonb_build_object('i', i, 'name', 'n' || i), json_build_object('a', ARRAY[i, i + 1]), "
                + "ARRAY['x' || i, 'y'], ARRAY[i, i * 2, i * 3] FROM generate_series(1, " + rows + ") i");
        return t;
    }
}
