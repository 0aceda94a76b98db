package io.milvus.migration.spi;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds columns from boxed values, for {@link Column#of}. */
final class ColumnValues {
    private ColumnValues() {
    }

    static Column of(FieldSchema f, List<?> values) {
        int n = values.size();
        var nulls = new BitSet();
        for (int r = 0; r < n; r++) {
            if (values.get(r) == null) {
                if (f.type().isVector()) {
                    throw bad(f, r, null, "a vector");
                }
                nulls.set(r);
            }
        }
        return switch (f.type()) {
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    if (v != null) {
                        a[r] = v instanceof Boolean b ? b : fail(f, r, v, "a Boolean");
                    }
                }
                yield new Column.Bools(a, nulls);
            }
            case INT8, INT16, INT32 -> {
                int[] a = new int[n];
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    if (v != null) {
                        long x = integer(f, r, v);
                        if (x != (int) x) {
                            throw bad(f, r, v, "a 32-bit integer");
                        }
                        a[r] = (int) x;
                    }
                }
                yield new Column.Ints(a, nulls);
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    if (v != null) {
                        a[r] = integer(f, r, v);
                    }
                }
                yield new Column.Longs(a, nulls);
            }
            case FLOAT -> {
                float[] a = new float[n];
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    if (v != null) {
                        a[r] = number(f, r, v).floatValue();
                    }
                }
                yield new Column.Floats(a, nulls);
            }
            case DOUBLE -> {
                double[] a = new double[n];
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    if (v != null) {
                        a[r] = number(f, r, v).doubleValue();
                    }
                }
                yield new Column.Doubles(a, nulls);
            }
            case VARCHAR, JSON -> {
                String[] a = new String[n];
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    a[r] = v == null ? null : v instanceof String s ? s : fail(f, r, v, "a String");
                }
                yield new Column.Strings(a);
            }
            case ARRAY -> {
                List<?>[] a = new List<?>[n];
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    a[r] = v == null ? null : v instanceof List<?> l ? List.copyOf(l) : fail(f, r, v, "a List");
                }
                yield new Column.Lists(a);
            }
            case FLOAT_VECTOR -> new Column.FloatVectors(f.dimension(), floats(f, values));
            case FLOAT16_VECTOR, BFLOAT16_VECTOR -> {
                if (n > 0 && values.get(0) instanceof byte[]) {
                    yield new Column.HalfVectors(f.type(), f.dimension(), bytes(f, values, 2 * f.dimension()));
                }
                yield Column.HalfVectors.of(f.type(), f.dimension(), floats(f, values));
            }
            case BINARY_VECTOR -> new Column.BinaryVectors(f.dimension(), bytes(f, values, f.dimension() / 8));
            case SPARSE_FLOAT_VECTOR -> {
                var rows = new java.util.ArrayList<TreeMap<Long, Float>>(n);
                for (int r = 0; r < n; r++) {
                    Object v = values.get(r);
                    if (!(v instanceof Map<?, ?> m)) {
                        throw bad(f, r, v, "a Map of index to value");
                    }
                    var row = new TreeMap<Long, Float>();
                    for (var e : m.entrySet()) {
                        row.put(integer(f, r, e.getKey()), number(f, r, e.getValue()).floatValue());
                    }
                    rows.add(row);
                }
                try {
                    yield Column.SparseVectors.of(rows);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("field " + f.name() + ": " + e.getMessage(), e);
                }
            }
        };
    }

    static Column select(Column c, int[] rows) {
        int n = rows.length;
        var nulls = new BitSet();
        for (int i = 0; i < n; i++) {
            if (c.isNull(rows[i])) {
                nulls.set(i);
            }
        }
        if (c instanceof Column.Bools x) {
            boolean[] a = new boolean[n];
            for (int i = 0; i < n; i++) {
                a[i] = x.get(rows[i]);
            }
            return new Column.Bools(a, nulls);
        } else if (c instanceof Column.Ints x) {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = x.get(rows[i]);
            }
            return new Column.Ints(a, nulls);
        } else if (c instanceof Column.Longs x) {
            long[] a = new long[n];
            for (int i = 0; i < n; i++) {
                a[i] = x.get(rows[i]);
            }
            return new Column.Longs(a, nulls);
        } else if (c instanceof Column.Floats x) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = x.get(rows[i]);
            }
            return new Column.Floats(a, nulls);
        } else if (c instanceof Column.Doubles x) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = x.get(rows[i]);
            }
            return new Column.Doubles(a, nulls);
        } else if (c instanceof Column.Strings x) {
            String[] a = new String[n];
            for (int i = 0; i < n; i++) {
                a[i] = x.get(rows[i]);
            }
            return new Column.Strings(a);
        } else if (c instanceof Column.Lists x) {
            List<?>[] a = new List<?>[n];
            for (int i = 0; i < n; i++) {
                a[i] = x.get(rows[i]);
            }
            return new Column.Lists(a);
        } else if (c instanceof Column.FloatVectors x) {
            int d = x.dimension();
            float[] a = new float[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x.array(), (x.offset() + rows[i]) * d, a, i * d, d);
            }
            return new Column.FloatVectors(d, a);
        } else if (c instanceof Column.ByteVectors x) {
            int w = x.rowBytes();
            byte[] a = new byte[n * w];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x.array(), (x.offset() + rows[i]) * w, a, i * w, w);
            }
            return x instanceof Column.HalfVectors h ? new Column.HalfVectors(h.type(), h.dimension(), a)
                    : new Column.BinaryVectors(x.dimension(), a);
        } else if (c instanceof Column.SparseVectors x) {
            var maps = new java.util.ArrayList<java.util.SortedMap<Long, Float>>(n);
            for (int r : rows) {
                maps.add(x.value(r));
            }
            return Column.SparseVectors.of(maps);
        }
        return ((Column.StoredVectors) c).materialize().select(rows);
    }

    private static float[] floats(FieldSchema f, List<?> values) {
        int d = f.dimension();
        float[] a = new float[values.size() * d];
        for (int r = 0; r < values.size(); r++) {
            Object v = values.get(r);
            if (v instanceof float[] x && x.length == d) {
                System.arraycopy(x, 0, a, r * d, d);
            } else if (v instanceof List<?> l && l.size() == d) {
                for (int i = 0; i < d; i++) {
                    a[r * d + i] = number(f, r, l.get(i)).floatValue();
                }
            } else {
                throw bad(f, r, v, d + " floats");
            }
        }
        return a;
    }

    private static byte[] bytes(FieldSchema f, List<?> values, int width) {
        byte[] a = new byte[values.size() * width];
        for (int r = 0; r < values.size(); r++) {
            Object v = values.get(r);
            if (v instanceof byte[] x && x.length == width) {
                System.arraycopy(x, 0, a, r * width, width);
            } else if (v instanceof ByteBuffer b && b.remaining() == width) {
                b.duplicate().get(a, r * width, width);
            } else {
                throw bad(f, r, v, width + " bytes");
            }
        }
        return a;
    }

    private static long integer(FieldSchema f, int row, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number x && x.doubleValue() == Math.rint(x.doubleValue())
                && Math.abs(x.doubleValue()) < 0x1p63) {
            return x.longValue();
        }
        throw bad(f, row, v, "an integer");
    }

    private static Number number(FieldSchema f, int row, Object v) {
        return v instanceof Number x ? x : fail(f, row, v, "a number");
    }

    private static <T> T fail(FieldSchema f, int row, Object v, String wanted) {
        throw bad(f, row, v, wanted);
    }

    private static IllegalArgumentException bad(FieldSchema f, int row, Object v, String wanted) {
        String shown = v == null ? "null" : v instanceof byte[] b ? "byte[" + b.length + "]"
                : v instanceof float[] x ? "float[" + x.length + "]"
                : v instanceof List<?> l ? "a list of " + l.size()
                : v.getClass().getSimpleName() + " " + abbreviate(String.valueOf(v));
        return new IllegalArgumentException("field " + f.name() + " (" + f.type() + "), row " + row + ": " + shown
                + " is not " + wanted);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
