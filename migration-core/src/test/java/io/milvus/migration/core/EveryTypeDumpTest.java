package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code dump()} of every field type: what NumPy and JSON files hold, files cut by size, types refused up front. */
class EveryTypeDumpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DESCR = Pattern.compile("'descr': '([^']+)'.*'shape': \\((\\d+),");

    @TempDir
    Path tmp;

    /** One split of {@code rows} rows whose columns are made per batch by {@code columns}. */
    private record Rows(CollectionSchema schema, int rows, java.util.function.BiFunction<Integer, Integer, Batch> make)
            implements Source {
        @Override
        public String describe() {
            return "rows";
        }

        @Override
        public List<SourceCollection> collections() {
            return List.of(new SourceCollection(schema, rows));
        }

        @Override
        public List<Split> splits(SourceCollection c) {
            return List.of(new One(rows));
        }

        record One(long estimatedRows) implements Split {
            @Override
            public String id() {
                return "one";
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
                    int to = Math.min(rows, next + 7);
                    Batch b = make.apply(next, to);
                    next = to;
                    return Optional.of(b);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }

    private static CollectionSchema everyType() {
        return CollectionSchema.builder("all").dynamicField(true)
                .field(FieldSchema.int64Key("id"))
                .field(FieldSchema.builder("b", DataType.BOOL).build())
                .field(FieldSchema.builder("i8", DataType.INT8).build())
                .field(FieldSchema.builder("i16", DataType.INT16).nullable(true).build())
                .field(FieldSchema.builder("i32", DataType.INT32).defaultValue(5).build())
                .field(FieldSchema.builder("f", DataType.FLOAT).build())
                .field(FieldSchema.builder("d", DataType.DOUBLE).build())
                .field(FieldSchema.builder("s", DataType.VARCHAR).maxLength(30).build())
                .field(FieldSchema.builder("j", DataType.JSON).build())
                .field(FieldSchema.builder("a", DataType.ARRAY).elementType(DataType.VARCHAR).maxLength(5)
                        .maxCapacity(3).build())
                .field(FieldSchema.floatVector("fv", 2, MetricType.L2))
                .field(FieldSchema.binaryVector("bv", 16, MetricType.HAMMING))
                .field(FieldSchema.builder("hv", DataType.FLOAT16_VECTOR).dimension(2).build())
                .field(FieldSchema.builder("bf", DataType.BFLOAT16_VECTOR).dimension(2).build())
                .field(FieldSchema.builder("sp", DataType.SPARSE_FLOAT_VECTOR).build())
                .build();
    }

    private static Batch everyTypeRows(int from, int to) {
        int n = to - from;
        var c = new LinkedHashMap<String, Column>();
        c.put("id", new Column.Longs(fill(n, i -> (long) (from + i)).stream().mapToLong(x -> x).toArray()));
        var bools = new boolean[n];
        var i8 = new int[n];
        var i16 = new int[n];
        var f = new float[n];
        var d = new double[n];
        var nulls = new BitSet();
        for (int i = 0; i < n; i++) {
            int r = from + i;
            bools[i] = r % 2 == 0;
            i8[i] = r % 2 == 0 ? -128 : 127;
            i16[i] = -r;
            f[i] = r + 0.5f;
            d[i] = r / 4.0;
            if (r % 3 == 0) {
                nulls.set(i);
            }
        }
        c.put("b", new Column.Bools(bools));
        c.put("i8", new Column.Ints(i8));
        c.put("i16", new Column.Ints(i16, nulls));
        c.put("i32", new Column.Ints(new int[n], nulls));
        c.put("f", new Column.Floats(f));
        c.put("d", new Column.Doubles(d));
        c.put("s", new Column.Strings(fill(n, i -> "q\"\\\n😀é" + (from + i))));
        c.put("j", new Column.Strings(fill(n, i -> "{\"k\":[1,{\"x\":" + (from + i) + "}]}")));
        c.put("a", new Column.Lists(fill(n, i -> List.of("x" + (from + i), "y")).toArray(List<?>[]::new)));
        c.put("fv", new Column.FloatVectors(2, floats(n)));
        c.put("bv", new Column.BinaryVectors(16, bytes(2 * n)));
        c.put("hv", Column.HalfVectors.of(DataType.FLOAT16_VECTOR, 2, floats(n)));
        c.put("bf", Column.HalfVectors.of(DataType.BFLOAT16_VECTOR, 2, floats(n)));
        var sparse = new ArrayList<TreeMap<Long, Float>>();
        for (int i = 0; i < n; i++) {
            var m = new TreeMap<Long, Float>();
            m.put(3L, 0.5f);
            m.put(4_000_000_000L + from + i, 2f);
            sparse.add(m);
        }
        c.put("sp", Column.SparseVectors.of(sparse));
        c.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(fill(n, i -> "{\"extra\":" + (from + i) + "}")));
        return new Batch(new Position("one", to), c);
    }

    private static <T> List<T> fill(int n, IntFunction<T> f) {
        var l = new ArrayList<T>();
        for (int i = 0; i < n; i++) {
            l.add(f.apply(i));
        }
        return l;
    }

    private static float[] floats(int n) {
        var v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            v[2 * i] = 0.25f;
            v[2 * i + 1] = -1.5f;
        }
        return v;
    }

    private static byte[] bytes(int n) {
        var v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) (i % 2 == 0 ? 0xff : 0x01);
        }
        return v;
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void jsonCarriesEveryTypeNullsAndTheDynamicField() throws IOException {
        Migration.builder().source(new Rows(everyType(), 20, EveryTypeDumpTest::everyTypeRows))
                .staging(new DirStorage(tmp, false)).bulkFormat(BulkFormat.JSON).build().dump();
        List<Path> files = files("rows.json");
        assertThat(files).hasSize(1);
        JsonNode rows = JSON.readTree(files.get(0).toFile()).get("rows");
        assertThat(rows).hasSize(20);
        JsonNode r0 = rows.get(0);
        JsonNode r1 = rows.get(1);
        assertThat(r0.get("b").asBoolean()).isTrue();
        assertThat(r0.get("i8").asInt()).isEqualTo(-128);
        assertThat(r1.get("i8").asInt()).isEqualTo(127);
        assertThat(r0.get("i16").isNull()).isTrue();
        assertThat(r1.get("i16").asInt()).isEqualTo(-1);
        assertThat(r0.get("i32").isNull()).isTrue();
        assertThat(r1.get("f").floatValue()).isEqualTo(1.5f);
        assertThat(r1.get("d").asDouble()).isEqualTo(0.25);
        assertThat(r1.get("s").asText()).isEqualTo("q\"\\\n😀é1");
        assertThat(r1.get("j").get("k").get(1).get("x").asInt()).isEqualTo(1);   // the document, not a string
        assertThat(r1.get("a").toString()).isEqualTo("[\"x1\",\"y\"]");
        assertThat(r1.get("fv").toString()).isEqualTo("[0.25,-1.5]");
        assertThat(r1.get("bv").toString()).isEqualTo("[255,1]");
        assertThat(r1.get("hv").toString()).isEqualTo("[0.25,-1.5]");
        assertThat(r1.get("bf").toString()).isEqualTo("[0.25,-1.5]");
        assertThat(r1.get("sp").toString()).isEqualTo("{\"indices\":[3,4000000001],\"values\":[0.5,2.0]}");
        assertThat(r1.get("$meta").get("extra").asInt()).isEqualTo(1);
    }

    private static CollectionSchema numpySchema() {
        return CollectionSchema.builder("npy").dynamicField(true)
                .field(FieldSchema.int64Key("id"))
                .field(FieldSchema.builder("b", DataType.BOOL).build())
                .field(FieldSchema.builder("i8", DataType.INT8).build())
                .field(FieldSchema.builder("i16", DataType.INT16).build())
                .field(FieldSchema.builder("f", DataType.FLOAT).build())
                .field(FieldSchema.builder("d", DataType.DOUBLE).build())
                .field(FieldSchema.builder("s", DataType.VARCHAR).maxLength(300).build())
                .field(FieldSchema.builder("j", DataType.JSON).build())
                .field(FieldSchema.floatVector("fv", 2, MetricType.L2))
                .build();
    }

    /** Rows whose strings grow with the row number, so that NumPy's fixed width grows within a file. */
    private static Batch numpyRows(int from, int to) {
        Batch all = everyTypeRows(from, to);
        var c = new LinkedHashMap<String, Column>();
        for (String k : List.of("id", "b", "i8", "i16", "f", "d", "j", "fv", CollectionSchema.DYNAMIC_FIELD)) {
            c.put(k, all.column(k));
        }
        var i16 = new int[to - from];
        for (int i = 0; i < i16.length; i++) {
            i16[i] = -(from + i);
        }
        c.put("i16", new Column.Ints(i16));
        c.put("s", new Column.Strings(fill(to - from, i -> "😀".repeat((from + i) % 40) + "é")));
        return new Batch(new Position("one", to), c);
    }

    @Test
    void numpyWritesScalarsAndStringsAsFixedWidthUnicode() throws IOException {
        Migration.builder().source(new Rows(numpySchema(), 30, EveryTypeDumpTest::numpyRows))
                .staging(new DirStorage(tmp, false)).bulkFormat(BulkFormat.NUMPY).build().dump();
        assertThat(descr("b.npy")).isEqualTo("|b1");
        assertThat(descr("i8.npy")).isEqualTo("|i1");
        assertThat(descr("i16.npy")).isEqualTo("<i2");
        assertThat(descr("f.npy")).isEqualTo("<f4");
        assertThat(descr("d.npy")).isEqualTo("<f8");
        assertThat(descr("s.npy")).isEqualTo("<U30");    // 29 emoji (one code point each) and an é
        assertThat(descr("$meta.npy")).isEqualTo("<U12");   // {"extra":29}
        ByteBuffer i8 = data("i8.npy");
        assertThat(i8.get(0)).isEqualTo((byte) -128);
        assertThat(i8.get(1)).isEqualTo((byte) 127);
        assertThat(data("i16.npy").getShort(2 * 5)).isEqualTo((short) -5);
        assertThat(data("d.npy").getDouble(8 * 3)).isEqualTo(0.75);
        ByteBuffer s = data("s.npy");
        int row = 2;   // two emoji and an é, then zeros
        assertThat(s.getInt(row * 120)).isEqualTo("😀".codePointAt(0));
        assertThat(s.getInt(row * 120 + 8)).isEqualTo('é');
        assertThat(s.getInt(row * 120 + 12)).isZero();
        ByteBuffer j = data("j.npy");
        var text = new StringBuilder();
        for (int at = 0; at < j.limit() && j.getInt(at) != 0; at += 4) {
            text.appendCodePoint(j.getInt(at));
        }
        assertThat(text.toString()).isEqualTo("{\"k\":[1,{\"x\":0}]}");
        try (Stream<Path> spills = Files.walk(tmp)) {
            assertThat(spills.filter(p -> p.toString().endsWith(".strings"))).isEmpty();
        }
    }

    private String descr(String name) throws IOException {
        Matcher m = DESCR.matcher(header(name));
        assertThat(m.find()).as(header(name)).isTrue();
        return m.group(1);
    }

    private String header(String name) throws IOException {
        byte[] all = Files.readAllBytes(files("/" + name).get(0));
        return new String(all, 10, 118, StandardCharsets.US_ASCII);
    }

    private ByteBuffer data(String name) throws IOException {
        byte[] all = Files.readAllBytes(files("/" + name).get(0));
        return ByteBuffer.wrap(all, 128, all.length - 128).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @EnumSource(value = BulkFormat.class, names = {"NUMPY", "JSON"})
    void filesOfVariableWidthValuesStayWithinTheirLimit(BulkFormat format) throws IOException {
        long limit = 6 << 10;
        Migration.builder().source(new Rows(numpySchema(), 400, EveryTypeDumpTest::numpyRows))
                .staging(new DirStorage(tmp, false)).bulkFormat(format).maxFileBytes(limit).build().dump();
        List<Path> all = files(format == BulkFormat.JSON ? ".json" : ".npy").stream()
                .filter(p -> !p.endsWith("manifest.json")).toList();
        assertThat(all.size()).isGreaterThan(format == BulkFormat.JSON ? 3 : 30);
        for (Path p : all) {
            assertThat(Files.size(p)).as("%s", p).isLessThanOrEqualTo(limit);
        }
        JsonNode entry = NumpyDumpTest.manifest(new DirStorage(tmp, false)).get("collections").get(0);
        assertThat(entry.get("rows").asLong()).isEqualTo(400);
        if (format == BulkFormat.JSON) {
            long rows = 0;
            for (Path p : all) {
                rows += JSON.readTree(p.toFile()).get("rows").size();
            }
            assertThat(rows).isEqualTo(400);
        }
    }

    @Test
    void numpyRefusesArraysAndNullableFieldsBeforeWritingAnything() throws IOException {
        var source = new Rows(everyType(), 20, EveryTypeDumpTest::everyTypeRows);
        assertThatThrownBy(() -> Migration.builder().source(source).staging(new DirStorage(tmp, false))
                .bulkFormat(BulkFormat.NUMPY).build().dump())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("field i16").hasMessageContaining("JSON, PARQUET");
        assertThat(files(".npy")).isEmpty();
        var arrays = CollectionSchema.builder("arr").field(FieldSchema.int64Key("id"))
                .field(FieldSchema.builder("a", DataType.ARRAY).elementType(DataType.INT32).maxCapacity(2).build())
                .field(FieldSchema.floatVector("v", 2, MetricType.L2)).build();
        assertThatThrownBy(() -> Migration.builder().source(new Rows(arrays, 1, (a, b) -> null))
                .staging(new DirStorage(tmp, false)).bulkFormat(BulkFormat.NUMPY).build().dump())
                .hasMessageContaining("field a of collection arr is ARRAY")
                .hasMessageContaining("the formats that do: JSON, PARQUET");
        assertThat(files(".npy")).isEmpty();
    }

    @Test
    void parquetWithoutItsModuleSaysWhichModuleToAdd() {
        assertThatThrownBy(() -> Migration.builder().source(new Rows(numpySchema(), 5, EveryTypeDumpTest::numpyRows))
                .staging(new DirStorage(tmp, false)).bulkFormat(BulkFormat.PARQUET).build().dump())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("migration-format-parquet");
    }
}
