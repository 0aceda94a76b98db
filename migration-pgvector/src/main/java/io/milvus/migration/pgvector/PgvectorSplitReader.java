package io.milvus.migration.pgvector;

import static io.milvus.migration.pgvector.PgvectorSource.quote;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads one key range in key order, a page per {@link #next(int)}: {@code WHERE key > last ORDER BY key LIMIT n}.
 * Holds one connection. One thread at a time.
 */
final class PgvectorSplitReader implements SplitReader {
    private final PgvectorSource source;
    private final PgvectorSource.Model model;
    private final PgvectorSplit split;
    private final String sqlFirst;
    private final String sqlAfter;
    private Connection connection;
    private String last;
    private long rowsRead;
    private boolean done;

    PgvectorSplitReader(PgvectorSource source, PgvectorSource.Model model, PgvectorSplit split, String after,
                        long rowsRead) {
        this.source = source;
        this.model = model;
        this.split = split;
        this.last = after;
        this.rowsRead = rowsRead;
        var select = new StringBuilder("SELECT ");
        for (PgColumn c : model.columns()) {
            select.append(expression(c)).append(", ");
        }
        String key = quote(model.key().name());
        String cast = "::" + model.key().pgType();
        select.append(key).append("::text AS milvus_migration_key FROM ").append(model.from()).append(" WHERE true");
        if (split.upper() != null) {
            select.append(" AND ").append(key).append(" < ?").append(cast);
        }
        String order = " ORDER BY " + key + " LIMIT ?";
        this.sqlFirst = select + (split.lower() != null ? " AND " + key + " >= ?" + cast : "") + order;
        this.sqlAfter = select + " AND " + key + " > ?" + cast + order;
    }

    /** The SQL that reads a column in the form {@link #value} takes. */
    private static String expression(PgColumn c) {
        String q = quote(c.name());
        boolean array = c.kind() == PgColumn.Kind.ARRAY;
        DataType t = array ? c.field().elementType() : c.field().type();
        String base = array ? c.pgType().substring(1) : c.pgType();
        boolean temporal = base.equals("date") || base.startsWith("timestamp");
        if (temporal && t == DataType.INT64) {
            return array ? "ARRAY(SELECT (extract(epoch FROM e) * 1000000)::int8 FROM unnest(" + q + ") e)"
                    : "(extract(epoch FROM " + q + ") * 1000000)::int8";
        }
        if (temporal) {
            return array ? "ARRAY(SELECT to_json(e) #>> '{}' FROM unnest(" + q + ") e)" : "to_json(" + q + ") #>> '{}'";
        }
        if (t == DataType.VARCHAR || t == DataType.JSON) {
            return q + (array ? "::text[]" : "::text");
        }
        return switch (c.kind()) {
            case VECTOR, HALFVEC, BIT, SPARSEVEC -> q + "::text";
            default -> q;
        };
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        if (done) {
            return Optional.empty();
        }
        try {
            if (connection == null) {
                connection = source.connect();
            }
            int n = 0;
            var values = new ArrayList<List<Object>>();
            model.columns().forEach(c -> values.add(new ArrayList<>()));
            String newLast = last;
            try (PreparedStatement ps = connection.prepareStatement(last == null ? sqlFirst : sqlAfter)) {
                int p = 1;
                if (split.upper() != null) {
                    ps.setString(p++, split.upper());
                }
                if (last != null) {
                    ps.setString(p++, last);
                } else if (split.lower() != null) {
                    ps.setString(p++, split.lower());
                }
                ps.setInt(p, maxRows);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        for (int i = 0; i < model.columns().size(); i++) {
                            PgColumn c = model.columns().get(i);
                            try {
                                values.get(i).add(value(rs, i + 1, c));
                            } catch (RuntimeException e) {
                                throw new MigrationException(ErrorCode.SOURCE_FORMAT, source.describe() + ", split "
                                        + split.id() + ", row with key " + rs.getString(model.columns().size() + 1)
                                        + ", column " + c.name() + ": " + e.getMessage(), e);
                            }
                        }
                        newLast = rs.getString(model.columns().size() + 1);
                        n++;
                    }
                }
            }
            if (n < maxRows) {
                done = true;
            }
            if (n == 0) {
                return Optional.empty();
            }
            var columns = new LinkedHashMap<String, Column>();
            for (int i = 0; i < model.columns().size(); i++) {
                PgColumn c = model.columns().get(i);
                columns.put(c.name(), column(c, values.get(i)));
            }
            last = newLast;
            rowsRead += n;
            return Optional.of(new Batch(new Position(split.id(), rowsRead, last), columns));
        } catch (SQLException e) {
            throw source.sqlError("reading split " + split.id() + " after key " + last, e);
        }
    }

    private static Object value(ResultSet rs, int i, PgColumn c) throws SQLException {
        return switch (c.kind()) {
            case BOOL -> nullable(rs, rs.getBoolean(i));
            case INT -> nullable(rs, rs.getInt(i));
            case LONG, TEMPORAL_MICROS -> nullable(rs, rs.getLong(i));
            case FLOAT -> nullable(rs, rs.getFloat(i));
            case DOUBLE, NUMERIC_DOUBLE -> nullable(rs, rs.getDouble(i));
            case TEXT, JSON, TEMPORAL_TEXT, VECTOR, HALFVEC, BIT, SPARSEVEC -> rs.getString(i);
            case ARRAY -> {
                Array a = rs.getArray(i);
                if (a == null) {
                    yield null;
                }
                Object[] items = (Object[]) a.getArray();
                a.free();
                if (Arrays.asList(items).contains(null)) {
                    throw new IllegalArgumentException("array holds a null element; Milvus arrays cannot");
                }
                yield Arrays.asList(items);
            }
        };
    }

    private static Object nullable(ResultSet rs, Object v) throws SQLException {
        return rs.wasNull() ? null : v;
    }

    private Column column(PgColumn c, List<Object> values) {
        FieldSchema f = c.field();
        int n = values.size();
        try {
            switch (c.kind()) {
                case VECTOR, HALFVEC -> {
                    int dim = f.dimension();
                    float[] flat = new float[n * dim];
                    for (int r = 0; r < n; r++) {
                        int got = PgVectors.parseDense((String) values.get(r), flat, r * dim, dim);
                        if (got != dim) {
                            throw new IllegalArgumentException("row " + r + " has " + got + " values, not " + dim);
                        }
                    }
                    return c.kind() == PgColumn.Kind.VECTOR ? new Column.FloatVectors(dim, flat)
                            : Column.HalfVectors.of(DataType.FLOAT16_VECTOR, dim, flat);
                }
                case BIT -> {
                    int dim = f.dimension();
                    int rowBytes = (dim + 7) / 8;
                    byte[] packed = new byte[n * rowBytes];
                    for (int r = 0; r < n; r++) {
                        PgVectors.packBits((String) values.get(r), packed, r * rowBytes, dim);
                    }
                    return new Column.BinaryVectors(dim, packed);
                }
                case SPARSEVEC -> {
                    var rows = new ArrayList<TreeMap<Long, Float>>(n);
                    values.forEach(v -> rows.add(PgVectors.parseSparse((String) v)));
                    return Column.SparseVectors.of(rows);
                }
                default -> {
                    return Column.of(f, values);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, source.describe() + ", split " + split.id()
                    + ", rows after key " + last + ", column " + c.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing read is lost by a failed close
            }
            connection = null;
        }
    }
}
