package io.milvus.migration.pgvector;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one PostgreSQL table or query over JDBC as one collection. Column types map to fields: {@code vector(n)} →
 * FLOAT_VECTOR, {@code halfvec(n)} → FLOAT16_VECTOR, {@code bit(n)} → BINARY_VECTOR, {@code sparsevec(n)} →
 * SPARSE_FLOAT_VECTOR (indices made 0-based), bool → BOOL, smallint → INT16, integer → INT32, bigint → INT64, real →
 * FLOAT, double precision → DOUBLE, numeric → DOUBLE or VARCHAR ({@link NumericMapping}), text, varchar(n), char(n)
 * and uuid → VARCHAR (max length the longest value in bytes, at least n), date and timestamps → INT64 epoch
 * microseconds (UTC) or ISO-8601 VARCHAR ({@link TemporalMapping}), json and jsonb → JSON, one-dimensional arrays of
 * these scalars → ARRAY (capacity the longest array). A column is nullable when it holds a null.
 *
 * <p>The primary key is the table's (one column of an integer or text type) or the column named by
 * {@link Builder#primaryKey}; integer keys become INT64, others VARCHAR. Splits are key ranges cut at quantiles of the
 * key, each read in key order in pages ({@code WHERE key > last ORDER BY key LIMIT n}); a position's cursor is the
 * last key read, so a resumed split continues after it. Reading the schema runs one aggregate over the rows (maximum
 * lengths, nulls). Thread-safe: each reader opens its own connection; starts no threads.
 */
public final class PgvectorSource implements Source {
    private static final Pattern TYPMOD = Pattern.compile("\\((\\d+)\\)");

    /** How numeric columns become fields. */
    public enum NumericMapping {
        /** DOUBLE (may round). */
        DOUBLE,
        /** VARCHAR holding the exact decimal text. */
        VARCHAR
    }

    /** How date, timestamp and timestamptz columns become fields. */
    public enum TemporalMapping {
        /** INT64: microseconds since 1970-01-01T00:00Z (a date at its midnight UTC, a timestamp read as UTC). */
        EPOCH_MICROS,
        /** VARCHAR: the ISO-8601 text PostgreSQL prints ({@code 2024-01-31}, {@code 2024-01-31T10:00:00.5}). */
        VARCHAR
    }

    private final Builder settings;
    private volatile Model model;

    private PgvectorSource(Builder b) {
        this.settings = b;
    }

    /** A builder with the defaults named on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** The collection as read from PostgreSQL, computed once. */
    record Model(CollectionSchema schema, List<PgColumn> columns, PgColumn key, String from, long rows,
                 List<IndexSpec> indexes) {
    }

    @Override
    public String describe() {
        return "pgvector:" + redact(settings.url) + (settings.table != null ? " table " + settings.table : " query");
    }

    @Override
    public List<SourceCollection> collections() {
        Model m = model();
        return List.of(new SourceCollection(m.schema, m.rows));
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        Model m = model();
        if (m.rows == 0) {
            return List.of();
        }
        int parts = (int) Math.max(1, Math.min(10_000, (m.rows + settings.partRows - 1) / settings.partRows));
        var bounds = new ArrayList<String>();   // first key of each part after the first
        if (parts > 1) {
            String k = quote(m.key.name());
            String sql = "SELECT min(" + k + ")::text FROM (SELECT " + k + ", ntile(" + parts + ") OVER (ORDER BY " + k
                    + ") AS part FROM " + m.from + ") p GROUP BY part ORDER BY part";
            try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                boolean first = true;
                while (rs.next()) {
                    if (!first) {
                        bounds.add(rs.getString(1));
                    }
                    first = false;
                }
            } catch (SQLException e) {
                throw sqlError("cutting key ranges", e);
            }
        }
        var out = new ArrayList<Split>();
        String name = m.schema.name();
        for (int i = 0; i <= bounds.size(); i++) {
            out.add(new PgvectorSplit(name + "/" + i, name, i == 0 ? null : bounds.get(i - 1),
                    i == bounds.size() ? null : bounds.get(i), m.rows / (bounds.size() + 1)));
        }
        return out;
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        if (!(split instanceof PgvectorSplit s)) {
            throw new IllegalArgumentException("not a pgvector split: " + split);
        }
        if (!from.splitId().equals(s.id())) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": position of split "
                    + from.splitId() + " given for split " + s.id());
        }
        return new PgvectorSplitReader(this, model(), s, from.cursor().isEmpty() ? null : from.cursor(),
                from.rowsRead());
    }

    @Override
    public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        return model().indexes;
    }

    @Override
    public Optional<IndexSpec> suggestedIndex(SourceCollection collection) {
        return model().indexes.stream().findFirst();
    }

    @Override
    public void close() {
        // connections are opened per use
    }

    @Override
    public String toString() {
        return describe();
    }

    Builder settings() {
        return settings;
    }

    Connection connect() throws SQLException {
        var p = new Properties();
        if (settings.user != null) {
            p.setProperty("user", settings.user);
        }
        if (settings.password != null) {
            p.setProperty("password", settings.password);
        }
        Connection c = DriverManager.getConnection(settings.url, p);
        c.setReadOnly(true);
        return c;
    }

    MigrationException sqlError(String what, SQLException e) {
        return new MigrationException(ErrorCode.SOURCE_IO, describe() + ": " + what + " failed: " + e.getMessage(), e);
    }

    private Model model() {
        Model m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) {
                    model = read();
                }
                m = model;
            }
        }
        return m;
    }

    private Model read() {
        try (Connection c = connect()) {
            c.setReadOnly(false);   // a temporary view for a query's column types
            String relation;
            String from;
            String name;
            if (settings.table != null) {
                relation = settings.table;
                from = settings.table;
                name = settings.collection != null ? settings.collection : unqualified(settings.table);
            } else {
                relation = "pg_temp.milvus_migration_probe";
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TEMPORARY VIEW milvus_migration_probe AS " + settings.query);
                }
                from = "(" + settings.query + ") AS q";
                name = settings.collection;
            }
            var raw = columns(c, relation);
            if (raw.isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": " + relation + " not found");
            }
            String keyName = settings.primaryKey != null ? settings.primaryKey
                    : settings.table != null ? tableKey(c, relation) : null;
            if (keyName == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": " + (settings.table != null
                        ? "table " + settings.table + " has no single-column primary key" : "a query has no key")
                        + "; name a unique column with primaryKey(...)");
            }
            Map<String, long[]> stats = stats(c, from, raw);
            long rows = stats.get("")[0];
            var indexes = settings.table != null ? indexes(c, relation) : new HashMap<String, IndexSpec>();
            var cols = new ArrayList<PgColumn>();
            PgColumn key = null;
            for (String[] r : raw) {
                String col = r[0];
                boolean isKey = col.equals(keyName);
                PgColumn pc = map(col, r[1], r[2], stats.get(col), isKey, indexes.get(col));
                if (pc == null) {
                    continue;   // excluded
                }
                cols.add(pc);
                if (isKey) {
                    key = pc;
                }
            }
            if (key == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": key column " + keyName
                        + " is not among the columns " + raw.stream().map(r -> r[0]).toList());
            }
            if (settings.table == null) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP VIEW pg_temp.milvus_migration_probe");
                }
            }
            var schema = CollectionSchema.builder(name).fields(cols.stream().map(PgColumn::field).toList()).build();
            if (schema.vectorFields().isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + " has no vector, halfvec, bit or "
                        + "sparsevec column");
            }
            var idx = new ArrayList<IndexSpec>();
            for (PgColumn pc : cols) {
                IndexSpec spec = indexes.get(pc.name());
                if (spec != null) {
                    idx.add(spec);
                }
            }
            return new Model(schema, cols, key, from, rows, List.copyOf(idx));
        } catch (SQLException e) {
            throw sqlError("reading the columns", e);
        }
    }

    /** Name, type name and typmod-formatted type of each column, in order. */
    private static List<String[]> columns(Connection c, String relation) throws SQLException {
        var out = new ArrayList<String[]>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, t.typname, format_type(a.atttypid, "
                + "a.atttypmod) FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = "
                + "to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        return out;
    }

    private String tableKey(Connection c, String relation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index x JOIN pg_attribute a ON "
                + "a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey) WHERE x.indrelid = to_regclass(?) AND "
                + "x.indisprimary")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                var keys = new ArrayList<String>();
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
                return keys.size() == 1 ? keys.get(0) : null;
            }
        }
    }

    /**
     * One aggregate over the rows: "" → row count; each column → {nulls, max length in bytes (text and text
     * arrays' elements), max cardinality (arrays)}.
     */
    private Map<String, long[]> stats(Connection c, String from, List<String[]> raw) throws SQLException {
        var sel = new StringBuilder("SELECT count(*)");
        for (String[] r : raw) {
            String q = quote(r[0]);
            sel.append(", count(*) - count(").append(q).append(")");
            boolean array = r[1].startsWith("_");
            String base = array ? r[1].substring(1) : r[1];
            boolean text = isText(base) || base.equals("numeric") && settings.numeric == NumericMapping.VARCHAR;
            if (text && !array) {
                sel.append(", max(octet_length(").append(q).append("::text))");
            } else if (text) {
                sel.append(", max((SELECT max(octet_length(e::text)) FROM unnest(").append(q).append(") e))");
            } else {
                sel.append(", 0");
            }
            sel.append(array ? ", max(cardinality(" + q + "))" : ", 0");
        }
        String sql = sel + " FROM " + from;
        var out = new HashMap<String, long[]>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            out.put("", new long[] {rs.getLong(1)});
            int i = 2;
            for (String[] r : raw) {
                out.put(r[0], new long[] {rs.getLong(i), rs.getLong(i + 1), rs.getLong(i + 2)});
                i += 3;
            }
        }
        return out;
    }

    private static boolean isText(String type) {
        return switch (type) {
            case "text", "varchar", "bpchar", "uuid", "name" -> true;
            default -> false;
        };
    }

    private PgColumn map(String col, String type, String formatted, long[] st, boolean key, IndexSpec index) {
        String where = describe() + ", column " + col + " (" + formatted + ")";
        boolean nullable = st[0] > 0;
        if (key && nullable) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + " is the key but holds nulls");
        }
        Matcher tm = TYPMOD.matcher(formatted);
        int typmod = tm.find() ? Integer.parseInt(tm.group(1)) : -1;
        MetricType metric = index != null ? index.metric().orElse(null) : null;
        switch (type) {
            case "vector", "halfvec", "bit", "sparsevec" -> {
                if (typmod <= 0) {
                    throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has no dimension; declare "
                            + "it, e.g. " + type + "(768), or cast it in a query");
                }
                if (nullable) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + " holds " + st[0]
                            + " null vectors; Milvus vectors cannot be null (filter them in a query)");
                }
                DataType dt = switch (type) {
                    case "vector" -> DataType.FLOAT_VECTOR;
                    case "halfvec" -> DataType.FLOAT16_VECTOR;
                    case "bit" -> DataType.BINARY_VECTOR;
                    default -> DataType.SPARSE_FLOAT_VECTOR;
                };
                PgColumn.Kind kind = switch (type) {
                    case "vector" -> PgColumn.Kind.VECTOR;
                    case "halfvec" -> PgColumn.Kind.HALFVEC;
                    case "bit" -> PgColumn.Kind.BIT;
                    default -> PgColumn.Kind.SPARSEVEC;
                };
                if (metric == null) {
                    metric = dt == DataType.BINARY_VECTOR ? MetricType.HAMMING
                            : dt == DataType.SPARSE_FLOAT_VECTOR ? MetricType.IP : MetricType.L2;
                }
                var f = FieldSchema.builder(col, dt).metric(metric);
                if (dt != DataType.SPARSE_FLOAT_VECTOR) {
                    f.dimension(typmod);
                }
                return new PgColumn(col, type, kind, f.build());
            }
            default -> {
            }
        }
        boolean array = type.startsWith("_");
        String base = array ? type.substring(1) : type;
        DataType dt;
        PgColumn.Kind kind;
        int maxLen = 0;
        switch (base) {
            case "bool" -> { dt = DataType.BOOL; kind = PgColumn.Kind.BOOL; }
            case "int2" -> { dt = key ? DataType.INT64 : DataType.INT16; kind = key ? PgColumn.Kind.LONG : PgColumn.Kind.INT; }
            case "int4" -> { dt = key ? DataType.INT64 : DataType.INT32; kind = key ? PgColumn.Kind.LONG : PgColumn.Kind.INT; }
            case "int8" -> { dt = DataType.INT64; kind = PgColumn.Kind.LONG; }
            case "float4" -> { dt = DataType.FLOAT; kind = PgColumn.Kind.FLOAT; }
            case "float8" -> { dt = DataType.DOUBLE; kind = PgColumn.Kind.DOUBLE; }
            case "numeric" -> {
                if (settings.numeric == NumericMapping.DOUBLE) {
                    dt = DataType.DOUBLE;
                    kind = PgColumn.Kind.NUMERIC_DOUBLE;
                } else {
                    dt = DataType.VARCHAR;
                    kind = PgColumn.Kind.TEXT;
                    maxLen = (int) st[1];
                }
            }
            case "text", "varchar", "bpchar", "uuid", "name" -> {
                dt = DataType.VARCHAR;
                kind = PgColumn.Kind.TEXT;
                maxLen = (int) Math.max(st[1], base.equals("uuid") ? 36 : typmod);
            }
            case "json", "jsonb" -> { dt = DataType.JSON; kind = PgColumn.Kind.JSON; }
            case "date", "timestamp", "timestamptz" -> {
                if (settings.temporal == TemporalMapping.EPOCH_MICROS) {
                    dt = DataType.INT64;
                    kind = PgColumn.Kind.TEMPORAL_MICROS;
                } else {
                    dt = DataType.VARCHAR;
                    kind = PgColumn.Kind.TEMPORAL_TEXT;
                    maxLen = 40;
                }
            }
            default -> {
                if (settings.skipUnsupported) {
                    return null;
                }
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has a type Milvus has no field "
                        + "for; leave it out with a query, or skipUnsupportedColumns(true)");
            }
        }
        if (dt == DataType.VARCHAR && maxLen > FieldSchema.MAX_VARCHAR_LENGTH) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " holds a value of " + maxLen
                    + " bytes; a Milvus VARCHAR holds at most " + FieldSchema.MAX_VARCHAR_LENGTH);
        }
        if (key && dt != DataType.INT64 && dt != DataType.VARCHAR || key && array) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, where + " cannot be a Milvus primary key "
                    + "(integer or text columns can)");
        }
        FieldSchema.Builder f;
        if (array) {
            if (dt == DataType.JSON) {
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": arrays of JSON have no Milvus "
                        + "type; cast the column to jsonb in a query");
            }
            f = FieldSchema.builder(col, DataType.ARRAY).elementType(dt).maxCapacity((int) Math.max(1, st[2]))
                    .nullable(nullable);
            kind = PgColumn.Kind.ARRAY;
        } else {
            f = FieldSchema.builder(col, dt).nullable(nullable).primaryKey(key);
        }
        if (dt == DataType.VARCHAR) {
            f.maxLength(Math.max(1, maxLen));
        }
        return new PgColumn(col, type, kind, f.build());
    }

    /** Each vector column's HNSW or IVFFlat index (the first such index if several). */
    private Map<String, IndexSpec> indexes(Connection c, String relation) throws SQLException {
        var out = new HashMap<String, IndexSpec>();
        String sql = "SELECT a.attname, am.amname, opc.opcname, array_to_string(i.reloptions, ',') FROM pg_index x "
                + "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam "
                + "JOIN pg_opclass opc ON opc.oid = x.indclass[0] "
                + "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] "
                + "WHERE x.indrelid = to_regclass(?) AND am.amname IN ('hnsw', 'ivfflat') ORDER BY i.relname";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String col = rs.getString(1);
                    String opclass = rs.getString(3);
                    MetricType metric = opclass.endsWith("_l2_ops") ? MetricType.L2
                            : opclass.endsWith("_ip_ops") ? MetricType.IP
                            : opclass.endsWith("_cosine_ops") ? MetricType.COSINE
                            : opclass.endsWith("_hamming_ops") ? MetricType.HAMMING
                            : opclass.endsWith("_jaccard_ops") ? MetricType.JACCARD : null;
                    if (metric == null || out.containsKey(col)) {
                        continue;   // l1 has no Milvus metric
                    }
                    var opts = new HashMap<String, String>();
                    String rel = rs.getString(4);
                    if (rel != null && !rel.isEmpty()) {
                        for (String kv : rel.split(",")) {
                            int eq = kv.indexOf('=');
                            opts.put(kv.substring(0, eq), kv.substring(eq + 1));
                        }
                    }
                    boolean binary = opclass.startsWith("bit_");
                    IndexSpec spec = rs.getString(2).equals("hnsw")
                            ? IndexSpec.builder("HNSW").field(col).metric(metric)
                                    .param("M", Long.parseLong(opts.getOrDefault("m", "16")))
                                    .param("efConstruction", Long.parseLong(opts.getOrDefault("ef_construction",
                                            "64"))).build()
                            : IndexSpec.builder(binary ? "BIN_IVF_FLAT" : "IVF_FLAT").field(col).metric(metric)
                                    .param("nlist", Long.parseLong(opts.getOrDefault("lists", "100"))).build();
                    out.put(col, spec);
                }
            }
        }
        return out;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String unqualified(String table) {
        int dot = table.lastIndexOf('.');
        return (dot < 0 ? table : table.substring(dot + 1)).replace("\"", "");
    }

    /** The JDBC URL without a password parameter. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** Settings of a {@link PgvectorSource}; {@link #build()} freezes them. */
    public static final class Builder implements Cloneable {
        String url;
        String user;
        String password;
        String table;
        String query;
        String collection;
        String primaryKey;
        long partRows = 100_000;
        NumericMapping numeric = NumericMapping.DOUBLE;
        TemporalMapping temporal = TemporalMapping.EPOCH_MICROS;
        boolean skipUnsupported;

        private Builder() {
        }

        /** The JDBC URL, such as {@code jdbc:postgresql://127.0.0.1:5432/vectors}. Required. */
        public Builder url(String jdbcUrl) {
            requireNonNull(jdbcUrl, "url is null");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redact(jdbcUrl));
            }
            this.url = jdbcUrl;
            return this;
        }

        /** The user. Default: the driver's (the URL's {@code user} parameter). */
        public Builder user(String user) {
            this.user = requireNonNull(user, "user is null");
            return this;
        }

        /** The password; never logged. Default none. */
        public Builder password(String password) {
            this.password = requireNonNull(password, "password is null");
            return this;
        }

        /** The table to read, such as {@code items} or {@code public.items}. Either this or {@link #query}. */
        public Builder table(String table) {
            this.table = requireNonNull(table, "table is null");
            return this;
        }

        /**
         * A query whose rows to read, as collection {@code collection}; needs {@link #primaryKey}. Either this or
         * {@link #table}.
         */
        public Builder query(String sql, String collection) {
            this.query = requireNonNull(sql, "sql is null");
            this.collection = requireNonNull(collection, "collection is null");
            return this;
        }

        /** The collection name. Default: the table's name (without schema). */
        public Builder collection(String name) {
            this.collection = requireNonNull(name, "collection is null");
            return this;
        }

        /** The key column (unique, integer or text). Default: the table's single-column primary key. */
        public Builder primaryKey(String column) {
            this.primaryKey = requireNonNull(column, "column is null");
            return this;
        }

        /** Rows per split (key-range parts are read in parallel). Default 100000. */
        public Builder partRows(long rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("partRows must be positive: " + rows);
            }
            this.partRows = rows;
            return this;
        }

        /** How numeric columns become fields. Default {@link NumericMapping#DOUBLE}. */
        public Builder numeric(NumericMapping mapping) {
            this.numeric = requireNonNull(mapping, "mapping is null");
            return this;
        }

        /** How date and timestamp columns become fields. Default {@link TemporalMapping#EPOCH_MICROS}. */
        public Builder temporal(TemporalMapping mapping) {
            this.temporal = requireNonNull(mapping, "mapping is null");
            return this;
        }

        /** Leave out columns of types without a Milvus field (bytea, interval, ...) instead of failing. Default false. */
        public Builder skipUnsupportedColumns(boolean skip) {
            this.skipUnsupported = skip;
            return this;
        }

        /**
         * The source; does no I/O (the database is asked when collections are listed).
         *
         * @throws IllegalArgumentException without a URL, or with neither or both of table and query
         */
        public PgvectorSource build() {
            if (url == null) {
                throw new IllegalArgumentException("pgvector source needs a JDBC url");
            }
            if ((table == null) == (query == null)) {
                throw new IllegalArgumentException("pgvector source needs a table or a query (one of them)");
            }
            if (query != null && primaryKey == null) {
                throw new IllegalArgumentException("pgvector query source needs primaryKey(column)");
            }
            try {
                return new PgvectorSource((Builder) clone());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "PgvectorSource.Builder[" + redact(String.valueOf(url)) + ", user " + user
                    + (password == null ? "" : ", password ***") + "]";
        }
    }
}
