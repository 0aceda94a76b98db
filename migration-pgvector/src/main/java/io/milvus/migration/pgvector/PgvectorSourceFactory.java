package io.milvus.migration.pgvector;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;


/**
 * Creates {@link PgvectorSource}s for {@code pgvector://host:port/database/table} and
 * {@code jdbc:postgresql://host:port/database?table=items} (other parameters go to the driver). The user is the URI's
 * {@code user} parameter or {@code PGUSER}; the password comes from {@code PGPASSWORD} only, never from a URI. Found
 * with {@link java.util.ServiceLoader}.
 */
public final class PgvectorSourceFactory implements ConfigurableSourceFactory<PgvectorSettings> {
    /** Called by {@link java.util.ServiceLoader}. */
    public PgvectorSourceFactory() {
    }

    @Override
    public String name() {
        return "pgvector";
    }

    @Override
    public boolean supports(URI uri) {
        return "pgvector".equals(uri.getScheme())
                || "jdbc".equals(uri.getScheme()) && uri.getSchemeSpecificPart().startsWith("postgresql:");
    }

    @Override
    public Source create(URI uri) {
        String jdbc;
        String table = null;
        String user = null;
        var params = new ArrayList<String>();
        String query;
        if ("pgvector".equals(uri.getScheme())) {
            if (uri.getHost() == null) {
                throw bad(uri, "names no host");
            }
            String[] path = uri.getPath() == null ? new String[0] : uri.getPath().replaceAll("^/+", "").split("/", 2);
            if (path.length != 2 || path[0].isEmpty() || path[1].isEmpty()) {
                throw bad(uri, "needs /database/table in its path");
            }
            table = path[1];
            jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/"
                    + path[0];
            query = uri.getRawQuery();
        } else {
            String s = uri.toString();
            int q = s.indexOf('?');
            jdbc = q < 0 ? s : s.substring(0, q);
            query = q < 0 ? null : s.substring(q + 1);
        }
        if (query != null) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                switch (k) {
                    case "table" -> table = v;
                    case "user" -> user = v;
                    case "password" -> throw bad(uri, "carries a password; set PGPASSWORD instead");
                    default -> params.add(kv);
                }
            }
        }
        if (table == null || table.isEmpty()) {
            throw bad(uri, "names no table (pgvector://host:port/database/table or ...?table=name)");
        }
        if (!params.isEmpty()) {
            jdbc += "?" + String.join("&", params);
        }
        var b = PgvectorSource.builder().url(jdbc).table(table);
        if (user == null) {
            user = System.getenv("PGUSER");
        }
        if (user != null) {
            b.user(user);
        }
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            b.password(password);
        }
        return b.build();
    }

    private static MigrationException bad(URI uri, String what) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "pgvector source URI "
                + PgvectorSource.redact(uri.toString()) + " " + what);
    }


    @Override
    public Class<PgvectorSettings> settingsType() {
        return PgvectorSettings.class;
    }

    @Override
    public void validate(PgvectorSettings s) {
        builder(s, false).build();
    }

    @Override
    public Source create(PgvectorSettings s) {
        return builder(s, true).build();
    }

    private static PgvectorSource.Builder builder(PgvectorSettings s, boolean withPassword) {
        if (s.url == null || !s.url.startsWith("jdbc:postgresql:")) {
            throw setting("url", "must be a jdbc:postgresql: URL");
        }
        if (s.url.toLowerCase(Locale.ROOT).contains("password=")) {
            throw setting("url", "carries a password; name an environment variable in passwordEnv instead");
        }
        if ((s.table == null) == (s.query == null)) {
            throw setting("table", "or source.pgvector.query must be given (one of them)");
        }
        if (s.query != null && (s.collection == null || s.primaryKey == null)) {
            throw setting("query", "needs source.pgvector.collection and source.pgvector.primaryKey");
        }
        if (s.partRows < 1) {
            throw setting("partRows", "must be positive: " + s.partRows);
        }
        var b = PgvectorSource.builder().url(s.url).partRows(s.partRows)
                .skipUnsupportedColumns(s.skipUnsupportedColumns);
        try {
            b.numeric(PgvectorSource.NumericMapping.valueOf(String.valueOf(s.numeric).toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw setting("numeric", "is double or varchar, not " + s.numeric);
        }
        try {
            b.temporal(PgvectorSource.TemporalMapping.valueOf(String.valueOf(s.temporal).toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw setting("temporal", "is epoch_micros or varchar, not " + s.temporal);
        }
        if (s.table != null) {
            b.table(s.table);
        } else {
            b.query(s.query, s.collection);
        }
        if (s.collection != null) {
            b.collection(s.collection);
        }
        if (s.primaryKey != null) {
            b.primaryKey(s.primaryKey);
        }
        if (s.user != null) {
            b.user(s.user);
        }
        if (withPassword && s.passwordEnv != null && System.getenv(s.passwordEnv) != null) {
            b.password(System.getenv(s.passwordEnv));
        }
        return b;
    }

    private static MigrationException setting(String key, String what) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "source.pgvector." + key + " " + what);
    }
}
