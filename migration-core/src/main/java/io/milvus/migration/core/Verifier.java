package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.VerifyOptions;
import io.milvus.migration.VerifyReport;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Source.SourceCollection;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.spi.TargetReader;
import io.milvus.migration.spi.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * {@link Migration#verify}: reads the source (through the transforms) once for the counts and a seeded sample of
 * rows, reads the sampled rows back from the target by primary key and compares every field, then searches the
 * target with query vectors from the sample and compares with an exact (brute-force) search over every source
 * vector, read a second time. Writes nothing.
 */
final class Verifier {
    /** Failures listed per check; the rest are counted. */
    private static final int MAX_LISTED = 10;
    /** Keys per read-back request (Milvus bounds the expression size). */
    private static final int KEYS_PER_REQUEST = 500;

    private final Migration m;
    private final VerifyOptions options;
    private final Source source;
    private final TargetReader reader;

    Verifier(Migration m, VerifyOptions options) {
        this.m = m;
        this.options = options;
        this.source = m.source().orElseThrow();
        this.reader = m.target().orElseThrow().reader().orElseThrow(() -> new MigrationException(
                ErrorCode.INVALID_CONFIG, "target " + m.target().get().describe() + " cannot be read back, so it"
                + " cannot be verified"));
    }

    VerifyReport verify() {
        var collections = new ArrayList<VerifyReport.Collection>();
        for (SourceCollection sc : source.collections()) {
            collections.add(collection(sc));
        }
        VerifyReport report = VerifyReport.of(collections);
        DefaultMigrationEngine.LOG.info("verify {} against {}: {}", source.describe(), m.target().get().describe(),
                report);
        return report;
    }

    /** One sampled source row: its key and every field's value (Long, String, float[] or byte[]). */
    private record Row(Object key, Object[] values) {
    }

    private VerifyReport.Collection collection(SourceCollection sc) {
        CollectionSchema schema = sc.schema();
        for (Transform t : m.transforms()) {
            schema = t.apply(schema);
        }
        String name = schema.name();
        var out = VerifyReport.Collection.builder(name);
        if (!reader.exists(name)) {
            return out.failure("collection " + name + " does not exist in " + m.target().get().describe()).build();
        }
        List<Split> splits = source.splits(sc);
        // pass 1: counts per partition and a reservoir sample
        var sourceRows = new LinkedHashMap<String, Long>();
        var sample = new ArrayList<Row>();
        var random = new Random(options.seed());
        long[] seen = {0};
        List<FieldSchema> fields = schema.fields();
        String keyField = schema.primaryKey().name();
        boolean dynamic = schema.dynamicField();
        read(splits, schema, (split, batch) -> {
            sourceRows.merge(split.partition(), (long) batch.rowCount(), Long::sum);
            for (int r = 0; r < batch.rowCount(); r++) {
                long i = seen[0]++;
                int slot = i < options.sampleRows() ? (int) i
                        : (int) Math.min(Integer.MAX_VALUE, random.nextLong(i + 1));
                if (slot < options.sampleRows()) {
                    Row row = row(batch, fields, keyField, r, dynamic);
                    if (slot == sample.size()) {
                        sample.add(row);
                    } else {
                        sample.set(slot, row);
                    }
                }
            }
        });
        Map<String, Long> targetRows = reader.partitionRows(name);
        out.rows(sourceRows, targetRows);
        for (String p : new TreeSet<>(union(sourceRows.keySet(), targetRows.keySet()))) {
            long s = sourceRows.getOrDefault(p, 0L);
            long t = targetRows.getOrDefault(p, 0L);
            if (s != t) {
                out.failure("collection " + name + " partition " + partitionName(p) + ": the source has " + s
                        + " rows, the target " + t);
            }
        }
        try {
            compareSample(name, schema, sample, out);
            FieldSchema vector = fields.stream().filter(f -> f.type().isVector()
                    && f.type() != DataType.SPARSE_FLOAT_VECTOR).findFirst().orElse(null);
            if (vector != null && options.queries() > 0 && !sample.isEmpty()) {
                search(name, schema, splits, vector, sample, out);
            }
        } catch (MigrationException e) {
            if (e.code() != ErrorCode.TARGET_REJECTED) {
                throw e;
            }
            out.failure("collection " + name + ": " + e.reason());
        }
        return out.build();
    }

    private void compareSample(String name, CollectionSchema schema, List<Row> sample,
                               VerifyReport.Collection.Builder out) {
        List<FieldSchema> fields = schema.fields();
        int keyIndex = fields.indexOf(schema.primaryKey());
        Map<Object, Row> got = new HashMap<>();
        for (int from = 0; from < sample.size(); from += KEYS_PER_REQUEST) {
            List<Row> chunk = sample.subList(from, Math.min(sample.size(), from + KEYS_PER_REQUEST));
            Column keys = schema.primaryKey().type() == DataType.INT64
                    ? new Column.Longs(chunk.stream().mapToLong(r -> (Long) r.key()).toArray())
                    : new Column.Strings(chunk.stream().map(r -> (String) r.key()).toList());
            Batch b = reader.get(name, schema, keys);
            for (int r = 0; r < b.rowCount(); r++) {
                Row row = row(b, fields, schema.primaryKey().name(), r, schema.dynamicField());
                got.put(row.key(), row);
            }
        }
        int matched = 0;
        var problems = new ArrayList<String>();
        for (Row want : sample) {
            Row have = got.get(want.key());
            if (have == null) {
                problems.add("id " + want.key() + " is missing from collection " + name);
                continue;
            }
            String differs = null;
            for (int f = 0; f < want.values().length && differs == null; f++) {
                FieldSchema field = f < fields.size() ? fields.get(f) : null; // null: the dynamic field
                if (f != keyIndex && !same(want.values()[f], have.values()[f], field)) {
                    differs = "id " + want.key() + " of collection " + name + ": field " + (field == null
                            ? io.milvus.migration.spi.CollectionSchema.DYNAMIC_FIELD : field.name())
                            + " differs (source " + show(want.values()[f]) + ", target " + show(have.values()[f])
                            + ")";
                }
            }
            if (differs == null) {
                matched++;
            } else {
                problems.add(differs);
            }
        }
        out.sample(sample.size(), matched);
        list(problems, out);
    }

    private void search(String name, CollectionSchema schema, List<Split> splits, FieldSchema vector,
                        List<Row> sample, VerifyReport.Collection.Builder out) {
        int n = Math.min(options.queries(), sample.size());
        int k = options.topK();
        int v = schema.fields().indexOf(vector);
        List<Row> queryRows = sample.subList(0, n);
        Exact exact = new Exact(vector, queryRows.stream().map(r -> r.values()[v]).toList(), k);
        String keyField = schema.primaryKey().name();
        read(splits, schema, (split, batch) -> exact.add(batch.column(vector.name()), batch.column(keyField)));
        Column queries = switch (vector.type()) {
            case FLOAT_VECTOR -> new Column.FloatVectors(vector.dimension(), concatFloats(queryRows, v));
            case FLOAT16_VECTOR, BFLOAT16_VECTOR -> new Column.HalfVectors(vector.type(), vector.dimension(),
                    concatBytes(queryRows, v));
            default -> new Column.BinaryVectors(vector.dimension(), concatBytes(queryRows, v));
        };
        List<TargetReader.Hits> hits = reader.search(name, vector, queries, k);
        long found = 0;
        long wanted = 0;
        double worst = 2;
        Object worstQuery = null;
        for (int q = 0; q < n; q++) {
            var expected = new HashSet<>(exact.keys(q));
            double kth = exact.kth(q);
            // half-precision vectors are searched with half-precision arithmetic: near ties come out in any order
            double tolerance = (vector.type() == DataType.FLOAT16_VECTOR || vector.type() == DataType.BFLOAT16_VECTOR
                    ? 5e-3 : 1e-4) * Math.max(1, Math.abs(kth));
            TargetReader.Hits h = hits.get(q);
            int hit = 0;
            for (int i = 0; i < h.keys().size() && i < expected.size(); i++) {
                // a neighbour tied with the k-th exact one counts too: ties are cut in any order
                if (expected.contains(h.keys().get(i)) || distance(vector.metric(), h.scores()[i]) <= kth + tolerance) {
                    hit++;
                }
            }
            found += hit;
            wanted += expected.size();
            double r = expected.isEmpty() ? 1 : (double) hit / expected.size();
            if (r < worst) {
                worst = r;
                worstQuery = queryRows.get(q).key();
            }
        }
        double recall = wanted == 0 ? 1 : (double) found / wanted;
        String index = reader.index(name, vector.name()).map(Object::toString).orElse("");
        out.search(n, recall, index);
        if (recall < options.minRecall()) {
            out.failure(String.format(java.util.Locale.ROOT, "collection %s: recall@%d of the target's search"
                    + " (index %s) is %.4f, below %.4f; worst query: the vector of id %s (%.2f)", name, k, index,
                    recall, options.minRecall(), worstQuery, worst));
        }
    }

    /** A target score as the exact search's distance (smaller is nearer). */
    private static double distance(MetricType metric, float score) {
        return switch (metric) {
            case IP, COSINE -> -score;
            default -> score; // L2 (squared, as Milvus gives it), HAMMING, JACCARD
        };
    }

    /** Reads every split through the transforms, giving each batch with its split. */
    private void read(List<Split> splits, CollectionSchema schema, java.util.function.BiConsumer<Split, Batch> each) {
        int maxRows = (int) Math.max(1, Math.min(1 << 20, m.batchBytes() / Math.max(1, schema.bytesPerRow())));
        for (Split split : splits) {
            try (SplitReader r = source.open(split)) {
                Optional<Batch> next;
                while ((next = r.next(maxRows)).isPresent()) {
                    Batch b = next.get();
                    for (Transform t : m.transforms()) {
                        b = t.apply(b);
                    }
                    each.accept(split, b);
                }
            } catch (MigrationException e) {
                throw e.in("verifying split " + split.id() + " of " + source.describe());
            }
        }
    }

    /**
     * The values of row {@code r}: one per field, then (in a schema with the dynamic field) the dynamic field's
     * JSON text ("{}" when the batch has none).
     */
    private static Row row(Batch batch, List<FieldSchema> fields, String keyField, int r, boolean dynamic) {
        Object[] values = new Object[fields.size() + (dynamic ? 1 : 0)];
        Object key = null;
        for (int f = 0; f < fields.size(); f++) {
            Column c = batch.column(fields.get(f).name());
            values[f] = value(c, r);
            if (fields.get(f).name().equals(keyField)) {
                key = values[f];
            }
        }
        if (dynamic) {
            Column c = batch.columns().get(io.milvus.migration.spi.CollectionSchema.DYNAMIC_FIELD);
            values[fields.size()] = c == null || c.isNull(r) ? "{}" : c.value(r);
        }
        return new Row(key, values);
    }

    private static Row row(Batch batch, List<FieldSchema> fields, String keyField, int r) {
        return row(batch, fields, keyField, r, false);
    }

    /** A value of any type (see {@link Column#value}), vectors copied out of the batch. */
    private static Object value(Column c, int r) {
        if (c instanceof Column.FloatVectors f) {
            return Arrays.copyOfRange(f.values(), r * f.dimension(), (r + 1) * f.dimension());
        }
        return c.value(r);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Whether two values agree: JSON as parsed (text may differ in spacing and key order), floats bit for bit. */
    private static boolean same(Object a, Object b, FieldSchema field) {
        if ((field == null || field.type() == DataType.JSON) && a instanceof String x && b instanceof String y) {
            return x.equals(y) || sameJson(x, y);
        }
        if (a instanceof float[] x && b instanceof float[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return java.util.Objects.equals(a, b);
    }

    private static boolean sameJson(String a, String b) {
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String show(Object v) {
        if (v instanceof float[] f) {
            String s = Arrays.toString(Arrays.copyOf(f, Math.min(4, f.length)));
            return f.length > 4 ? s.substring(0, s.length() - 1) + ", ...]" : s;
        }
        if (v instanceof byte[] b) {
            return java.util.HexFormat.of().formatHex(b, 0, Math.min(8, b.length)) + (b.length > 8 ? "..." : "");
        }
        return String.valueOf(v);
    }

    private static void list(List<String> problems, VerifyReport.Collection.Builder out) {
        problems.stream().limit(MAX_LISTED).forEach(out::failure);
        if (problems.size() > MAX_LISTED) {
            out.failure("... and " + (problems.size() - MAX_LISTED) + " more sampled rows that differ");
        }
    }

    private static String partitionName(String p) {
        return p.isEmpty() ? "_default" : "'" + p + "'";
    }

    private static <T> java.util.Set<T> union(java.util.Set<T> a, java.util.Set<T> b) {
        var s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    private static float[] concatFloats(List<Row> rows, int v) {
        int d = ((float[]) rows.get(0).values()[v]).length;
        float[] out = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy((float[]) rows.get(i).values()[v], 0, out, i * d, d);
        }
        return out;
    }

    private static byte[] concatBytes(List<Row> rows, int v) {
        int w = ((byte[]) rows.get(0).values()[v]).length;
        byte[] out = new byte[rows.size() * w];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy((byte[]) rows.get(i).values()[v], 0, out, i * w, w);
        }
        return out;
    }

    /**
     * Exact top-k of each query over every row added, as Faiss's IndexFlat searches: squared L2, inner product,
     * cosine, Hamming or Jaccard distance over the raw vectors; smaller is nearer.
     */
    static final class Exact {
        private final MetricType metric;
        private final List<Object> queries;
        private final int k;
        private final double[][] dist;
        private final Object[][] keys;
        private final int[] size;

        Exact(FieldSchema field, List<Object> queries, int k) {
            this.metric = field.metric();
            this.k = k;
            this.queries = new ArrayList<>(queries);
            if (field.type() == DataType.FLOAT16_VECTOR || field.type() == DataType.BFLOAT16_VECTOR) {
                // half-precision queries are compared as the floats they hold
                this.queries.replaceAll(q -> halfToFloats(field.type(), field.dimension(), (byte[]) q));
            }
            if (metric == MetricType.COSINE) {
                this.queries.replaceAll(q -> normalized((float[]) q));
            }
            this.dist = new double[queries.size()][k];
            this.keys = new Object[queries.size()][k];
            this.size = new int[queries.size()];
        }

        private static float[] halfToFloats(DataType type, int dimension, byte[] bytes) {
            var h = new Column.HalfVectors(type, dimension, bytes);
            float[] out = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                out[i] = h.get(0, i);
            }
            return out;
        }

        void add(Column vectors, Column keyColumn) {
            int rows = vectors.rowCount();
            if (vectors instanceof Column.HalfVectors h) {
                int d = h.dimension();
                float[] all = new float[rows * d];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < d; i++) {
                        all[r * d + i] = h.get(r, i);
                    }
                }
                vectors = new Column.FloatVectors(d, all);
            }
            for (int r = 0; r < rows; r++) {
                Object key = value(keyColumn, r);
                for (int q = 0; q < queries.size(); q++) {
                    double d = vectors instanceof Column.FloatVectors f ? floatDistance((float[]) queries.get(q),
                            f.values(), r * f.dimension(), f.dimension())
                            : binaryDistance((byte[]) queries.get(q), ((Column.BinaryVectors) vectors).values(),
                            r * (vectors instanceof Column.BinaryVectors b ? b.dimension() / 8 : 0));
                    offer(q, d, key);
                }
            }
        }

        private void offer(int q, double d, Object key) {
            int n = size[q];
            if (n == k && d >= dist[q][k - 1]) {
                return;
            }
            int i = n == k ? k - 1 : n;
            while (i > 0 && dist[q][i - 1] > d) {
                dist[q][i] = dist[q][i - 1];
                keys[q][i] = keys[q][i - 1];
                i--;
            }
            dist[q][i] = d;
            keys[q][i] = key;
            if (n < k) {
                size[q] = n + 1;
            }
        }

        List<Object> keys(int q) {
            return Arrays.asList(keys[q]).subList(0, size[q]);
        }

        /** The distance of the k-th nearest (or the farthest found, with fewer rows than k). */
        double kth(int q) {
            return size[q] == 0 ? Double.NEGATIVE_INFINITY : dist[q][size[q] - 1];
        }

        private double floatDistance(float[] q, float[] v, int at, int d) {
            switch (metric) {
                case L2 -> {
                    double s = 0;
                    for (int i = 0; i < d; i++) {
                        double x = q[i] - v[at + i];
                        s += x * x;
                    }
                    return s;
                }
                case IP -> {
                    double s = 0;
                    for (int i = 0; i < d; i++) {
                        s += (double) q[i] * v[at + i];
                    }
                    return -s;
                }
                default -> { // COSINE: the query is normalized already
                    double s = 0;
                    double norm = 0;
                    for (int i = 0; i < d; i++) {
                        s += (double) q[i] * v[at + i];
                        norm += (double) v[at + i] * v[at + i];
                    }
                    return norm == 0 ? 0 : -s / Math.sqrt(norm);
                }
            }
        }

        private double binaryDistance(byte[] q, byte[] v, int at) {
            int xor = 0;
            int and = 0;
            int or = 0;
            for (int i = 0; i < q.length; i++) {
                int a = q[i] & 0xff;
                int b = v[at + i] & 0xff;
                xor += Integer.bitCount(a ^ b);
                and += Integer.bitCount(a & b);
                or += Integer.bitCount(a | b);
            }
            return metric == MetricType.JACCARD ? (or == 0 ? 0 : 1 - (double) and / or) : xor;
        }

        private static float[] normalized(float[] v) {
            double n = 0;
            for (float x : v) {
                n += (double) x * x;
            }
            float[] out = v.clone();
            if (n > 0) {
                double s = Math.sqrt(n);
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (out[i] / s);
                }
            }
            return out;
        }
    }
}
