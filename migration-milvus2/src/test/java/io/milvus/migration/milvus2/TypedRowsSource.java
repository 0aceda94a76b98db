package io.milvus.migration.milvus2;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A source of {@code rows} rows of any schema, every value made from the row number (so a test can make the same
 * rows again to compare with what Milvus holds), in one split read in batches. Values cover each type's awkward
 * cases: negative and extreme integers, non-ASCII and escaped strings, nested JSON, arrays of several sizes, nulls
 * in nullable fields (every third row), and, when the schema has a dynamic field, a {@code $meta} object per row.
 */
final class TypedRowsSource implements Source {
    private final CollectionSchema schema;
    private final int rows;
    private final List<IndexSpec> indexes;

    TypedRowsSource(CollectionSchema schema, int rows, List<IndexSpec> indexes) {
        this.schema = schema;
        this.rows = rows;
        this.indexes = indexes;
    }

    /** Rows {@code [from, to)} as the source gives them (the autoID key included, as a source would). */
    Batch rows(int from, int to) {
        var columns = new LinkedHashMap<String, Column>();
        for (FieldSchema f : schema.fields()) {
            columns.put(f.name(), column(f, from, to));
        }
        if (schema.dynamicField()) {
            var meta = new String[to - from];
            for (int r = from; r < to; r++) {
                meta[r - from] = "{\"color\":\"c" + (r % 7) + "\",\"score\":" + r + ",\"deep\":{\"k\":[" + r + ",1]}}";
            }
            columns.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(meta));
        }
        return new Batch(new Position("all", to), columns);
    }

    static Column column(FieldSchema f, int from, int to) {
        int n = to - from;
        BitSet nulls = new BitSet();
        if (f.nullable() || f.defaultValue().isPresent()) {
            for (int r = from; r < to; r++) {
                if (r % 3 == 1) {
                    nulls.set(r - from);
                }
            }
        }
        switch (f.type()) {
            case BOOL -> {
                var v = new boolean[n];
                for (int r = from; r < to; r++) {
                    v[r - from] = r % 3 == 0;
                }
                return new Column.Bools(v, nulls);
            }
            case INT8, INT16, INT32 -> {
                var v = new int[n];
                for (int r = from; r < to; r++) {
                    v[r - from] = switch (f.type()) {
                        case INT8 -> (r % 256) - 128;
                        case INT16 -> (r * 7919) % 65536 - 32768;
                        default -> r * 100_003 - 7;
                    };
                }
                return new Column.Ints(v, nulls);
            }
            case INT64 -> {
                var v = new long[n];
                for (int r = from; r < to; r++) {
                    v[r - from] = f.primaryKey() ? r : (long) r * 1_000_000_007L - (1L << 40);
                }
                return new Column.Longs(v, nulls);
            }
            case FLOAT -> {
                var v = new float[n];
                for (int r = from; r < to; r++) {
                    v[r - from] = r * 0.25f - 3.5f;
                }
                return new Column.Floats(v, nulls);
            }
            case DOUBLE -> {
                var v = new double[n];
                for (int r = from; r < to; r++) {
                    v[r - from] = r / 3.0 - 1e10;
                }
                return new Column.Doubles(v, nulls);
            }
            case VARCHAR -> {
                var v = new String[n];
                for (int r = from; r < to; r++) {
                    v[r - from] = nulls.get(r - from) ? null : varchar(f, r);
                }
                return new Column.Strings(v);
            }
            case JSON -> {
                var v = new String[n];
                for (int r = from; r < to; r++) {
                    v[r - from] = nulls.get(r - from) ? null : "{\"i\":" + r + ",\"name\":\"n\\u00e9" + r
                            + "\",\"tags\":[\"a\",\"b\"],\"nested\":{\"x\":" + (r * 0.5) + ",\"ok\":true}}";
                }
                return new Column.Strings(v);
            }
            case ARRAY -> {
                List<?>[] v = new List<?>[n];
                for (int r = from; r < to; r++) {
                    if (nulls.get(r - from)) {
                        continue;
                    }
                    int size = Math.min(f.maxCapacity(), r % 4 + 1);
                    var list = new ArrayList<Object>();
                    for (int k = 0; k < size; k++) {
                        list.add(switch (f.elementType()) {
                            case BOOL -> (r + k) % 2 == 0;
                            case INT8 -> (r + k) % 100 - 50;
                            case INT16 -> (r + k) * 3 - 1000;
                            case INT32 -> r * 31 + k;
                            case INT64 -> (long) r * 10_000_000_000L + k;
                            case FLOAT -> r + k * 0.5f;
                            case DOUBLE -> r * 0.1 + k;
                            default -> "e" + k + "é" + r;
                        });
                    }
                    v[r - from] = list;
                }
                return new Column.Lists(v);
            }
            case FLOAT_VECTOR -> {
                var v = new float[n * f.dimension()];
                for (int r = from; r < to; r++) {
                    var rnd = new Random(r);
                    for (int i = 0; i < f.dimension(); i++) {
                        v[(r - from) * f.dimension() + i] = rnd.nextFloat() * 2 - 1;
                    }
                }
                return new Column.FloatVectors(f.dimension(), v);
            }
            case BINARY_VECTOR -> {
                var v = new byte[n * f.dimension() / 8];
                for (int r = from; r < to; r++) {
                    var rnd = new Random(r);
                    for (int i = 0; i < f.dimension() / 8; i++) {
                        v[(r - from) * f.dimension() / 8 + i] = (byte) rnd.nextInt(256);
                    }
                }
                return new Column.BinaryVectors(f.dimension(), v);
            }
            case FLOAT16_VECTOR, BFLOAT16_VECTOR -> {
                var v = new float[n * f.dimension()];
                for (int r = from; r < to; r++) {
                    var rnd = new Random(r);
                    for (int i = 0; i < f.dimension(); i++) {
                        v[(r - from) * f.dimension() + i] = rnd.nextFloat() * 2 - 1;
                    }
                }
                return Column.HalfVectors.of(f.type(), f.dimension(), v);
            }
            case SPARSE_FLOAT_VECTOR -> {
                var list = new ArrayList<TreeMap<Long, Float>>();
                for (int r = from; r < to; r++) {
                    var m = new TreeMap<Long, Float>();
                    var rnd = new Random(r);
                    for (int k = 0; k < r % 5 + 1; k++) {
                        m.put((long) rnd.nextInt(100_000) + (k == 0 ? 4_000_000_000L : 0), rnd.nextFloat() + 0.01f);
                    }
                    list.add(m);
                }
                return Column.SparseVectors.of(list);
            }
            default -> throw new IllegalArgumentException(f.type().toString());
        }
    }

    static String varchar(FieldSchema f, int r) {
        String s = f.primaryKey() ? "key-" + r : f.partitionKey() ? "cat" + (r % 5) : "s" + r + " é漢\"\\\n\t";
        return s.length() > f.maxLength() ? s.substring(0, f.maxLength()) : s;
    }

    @Override
    public String describe() {
        return "typed rows of " + schema.name();
    }

    @Override
    public List<SourceCollection> collections() {
        return List.of(new SourceCollection(schema, rows));
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        return List.of(new AllRows(rows));
    }

    record AllRows(long estimatedRows) implements Split {
        @Override
        public String id() {
            return "all";
        }
    }

    @Override
    public SplitReader open(Split split) {
        return new SplitReader() {
            int next;

            @Override
            public Optional<Batch> next(int maxRows) {
                if (next >= rows) {
                    return Optional.empty();
                }
                int to = Math.min(rows, next + Math.min(maxRows, 97));
                Batch b = rows(next, to);
                next = to;
                return Optional.of(b);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        return indexes;
    }

    @Override
    public void close() {
    }
}
