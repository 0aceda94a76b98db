package io.milvus.migration.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pgvector source against a real PostgreSQL 16 with pgvector 0.8.5 ({@code scripts/pgvector-server.sh}): schema
 * of every column kind, every value, parallel key-range parts, resume from a key in the middle of a part, queries and
 * text keys, the suggested index. Fails (never skips) without the server.
 */
class PgvectorSourceIT {
    static final int ROWS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PgFixture fx;
    private static String table;

    @BeforeAll
    static void create() {
        fx = new PgFixture();
        table = fx.everyType(ROWS);
        fx.exec("CREATE INDEX ON " + table + " USING hnsw (emb vector_cosine_ops) WITH (m = 12, ef_construction = 40)",
                "CREATE INDEX ON " + table + " USING ivfflat (half halfvec_ip_ops) WITH (lists = 5)");
    }

    @Test
    void everyColumnKindBecomesItsField() {
        try (var source = fx.source().table(table).build()) {
            var c = source.collections().get(0);
            assertThat(c.estimatedRows()).isEqualTo(ROWS);
            CollectionSchema s = c.schema();
            assertThat(s.name()).isEqualTo(table);
            Map<String, DataType> types = new LinkedHashMap<>();
            s.fields().forEach(f -> types.put(f.name(), f.type()));
            assertThat(types).containsExactly(Map.entry("id", DataType.INT64), Map.entry("emb", DataType.FLOAT_VECTOR),
                    Map.entry("half", DataType.FLOAT16_VECTOR), Map.entry("bits", DataType.BINARY_VECTOR),
                    Map.entry("sparse", DataType.SPARSE_FLOAT_VECTOR), Map.entry("flag", DataType.BOOL),
                    Map.entry("small", DataType.INT16), Map.entry("num", DataType.INT32),
                    Map.entry("big", DataType.INT64), Map.entry("r", DataType.FLOAT), Map.entry("d", DataType.DOUBLE),
                    Map.entry("amount", DataType.DOUBLE), Map.entry("title", DataType.VARCHAR),
                    Map.entry("code", DataType.VARCHAR), Map.entry("u", DataType.VARCHAR),
                    Map.entry("day", DataType.INT64), Map.entry("at", DataType.INT64),
                    Map.entry("atz", DataType.INT64), Map.entry("doc", DataType.JSON), Map.entry("j", DataType.JSON),
                    Map.entry("tags", DataType.ARRAY), Map.entry("nums", DataType.ARRAY));
            assertThat(s.primaryKey().name()).isEqualTo("id");
            assertThat(s.field("emb").orElseThrow().dimension()).isEqualTo(4);
            assertThat(s.field("emb").orElseThrow().metric()).as("from the HNSW index").isEqualTo(MetricType.COSINE);
            assertThat(s.field("half").orElseThrow().metric()).as("from the IVFFlat index").isEqualTo(MetricType.IP);
            assertThat(s.field("bits").orElseThrow().dimension()).isEqualTo(16);
            assertThat(s.field("bits").orElseThrow().metric()).isEqualTo(MetricType.HAMMING);
            int titleBytes = 0;
            for (int i = 1; i <= ROWS; i++) {
                titleBytes = Math.max(titleBytes, title(i).getBytes(StandardCharsets.UTF_8).length);
            }
            assertThat(s.field("title").orElseThrow().maxLength()).isEqualTo(titleBytes);
            assertThat(s.field("code").orElseThrow().maxLength()).as("varchar(12)").isEqualTo(12);
            assertThat(s.field("u").orElseThrow().maxLength()).isEqualTo(36);
            FieldSchema tags = s.field("tags").orElseThrow();
            assertThat(tags.elementType()).isEqualTo(DataType.VARCHAR);
            assertThat(tags.maxCapacity()).isEqualTo(2);
            assertThat(s.field("nums").orElseThrow().elementType()).isEqualTo(DataType.INT32);
            assertThat(s.fields()).filteredOn(FieldSchema::nullable).extracting(FieldSchema::name)
                    .containsExactly("small");

            assertThat(source.suggestedIndexes(c)).containsExactly(
                    IndexSpec.builder("HNSW").field("emb").metric(MetricType.COSINE).param("M", 12L)
                            .param("efConstruction", 40L).build(),
                    IndexSpec.builder("IVF_FLAT").field("half").metric(MetricType.IP).param("nlist", 5L).build());
        }
    }

    @Test
    void partsReadInParallelGiveEveryRowOnceWithEveryValue() throws Exception {
        try (var source = fx.source().table(table).partRows(100).build()) {
            List<Split> splits = source.splits(source.collections().get(0));
            assertThat(splits).hasSize(3);
            var pool = Executors.newFixedThreadPool(3);
            try {
                var futures = new ArrayList<Future<List<Batch>>>();
                for (Split split : splits) {
                    Split copy = roundTrip(split);
                    futures.add(pool.submit(() -> read(source, copy, Position.start(copy.id()), 40)));
                }
                var seen = new HashMap<Long, Integer>();
                for (var f : futures) {
                    for (Batch b : f.get()) {
                        for (int r = 0; r < b.rowCount(); r++) {
                            long id = (Long) b.column("id").value(r);
                            assertThat(seen.put(id, 1)).as("id %d once", id).isNull();
                            assertRow(b, r, (int) id);
                        }
                    }
                }
                assertThat(seen).hasSize(ROWS);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aPartResumedFromTheLastKeyOfABatchLosesAndRepeatsNothing() {
        try (var source = fx.source().table(table).partRows(100).build()) {
            Split split = source.splits(source.collections().get(0)).get(1);
            List<Batch> whole = read(source, split, Position.start(split.id()), 30);
            Position middle = whole.get(1).position();
            assertThat(middle.rowsRead()).isEqualTo(60);
            assertThat(middle.cursor()).isEqualTo(whole.get(1).column("id").value(29).toString());
            List<Batch> rest = read(fx.source().table(table).partRows(100).build(), split, middle, 30);
            var ids = new ArrayList<Object>();
            whole.subList(0, 2).forEach(b -> ids.addAll(ids(b)));
            rest.forEach(b -> ids.addAll(ids(b)));
            var expected = new ArrayList<Object>();
            whole.forEach(b -> expected.addAll(ids(b)));
            assertThat(ids).containsExactlyElementsOf(expected).hasSize((int) split.estimatedRows());
            assertThat(rest.get(rest.size() - 1).position().rowsRead()).isEqualTo(split.estimatedRows());
        }
    }

    @Test
    void numericAsTextAndTimestampsAsIsoText() {
        try (var source = fx.source().table(table).numeric(PgvectorSource.NumericMapping.VARCHAR)
                .temporal(PgvectorSource.TemporalMapping.VARCHAR).build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().field("amount").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            Batch b = read(source, source.splits(c).get(0), Position.start(source.splits(c).get(0).id()), 5).get(0);
            assertThat(b.column("amount").value(1)).isEqualTo("2.250");
            assertThat(b.column("day").value(1)).isEqualTo("2024-01-03");
            assertThat(b.column("at").value(1)).isEqualTo("2024-01-01T12:00:00.5");
            assertThat(java.time.OffsetDateTime.parse((String) b.column("atz").value(1)).toInstant())
                    .isEqualTo(Instant.parse("2024-01-01T08:00:02Z"));
        }
    }

    @Test
    void aQueryWithATextKeyIsCutIntoKeyRangesAndResumes() {
        String t = PgFixture.unique("text_key");
        fx.exec("CREATE TABLE " + t + " (name text PRIMARY KEY, v vector(2) NOT NULL)",
                "INSERT INTO " + t + " SELECT 'k' || lpad(i::text, 4, '0') || CASE WHEN i % 2 = 0 THEN ' ä' "
                        + "ELSE '' END, ARRAY[i, -i]::vector FROM generate_series(1, 90) i");
        try (var source = fx.source().query("SELECT name, v FROM " + t + " WHERE name > 'k0010 ä'", "picked")
                .primaryKey("name").partRows(30).build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().name()).isEqualTo("picked");
            assertThat(c.schema().primaryKey().type()).isEqualTo(DataType.VARCHAR);
            List<Split> splits = source.splits(c);
            assertThat(splits).hasSize(3);
            var names = new ArrayList<Object>();
            for (Split s : splits) {
                List<Batch> first = read(source, s, Position.start(s.id()), 7);
                first.subList(0, 1).forEach(b -> names.addAll(ids(b)));
                read(source, s, first.get(0).position(), 7).forEach(b -> names.addAll(ids(b)));
            }
            assertThat(names).hasSize(80).doesNotHaveDuplicates();
            assertThat(names).contains("k0012 ä", "k0011", "k0090 ä").doesNotContain("k0010 ä", "k0009");
        }
    }

    @Test
    void aTableWithoutKeyOrVectorIsAnErrorNamingIt() {
        String t = PgFixture.unique("no_key");
        fx.exec("CREATE TABLE " + t + " (a int, v vector(2))", "INSERT INTO " + t + " VALUES (1, '[1,2]')");
        assertThatThrownBy(() -> fx.source().table(t).build().collections()).isInstanceOf(MigrationException.class)
                .hasMessageContaining(t).hasMessageContaining("primaryKey");
        assertThatThrownBy(() -> fx.source().table("missing_table").build().collections())
                .isInstanceOf(MigrationException.class).hasMessageContaining("missing_table");
    }

    private static void assertRow(Batch b, int r, int i) {
        String at = "row " + i;
        assertThat((float[]) b.column("emb").value(r)).as(at).containsExactly(i, (float) (i / 3.0), -i * 1.5f, 0.125f);
        assertThat((byte[]) b.column("half").value(r)).as(at).isEqualTo(Column.HalfVectors.of(DataType.FLOAT16_VECTOR,
                4, new float[] {i % 100, 0.5f, -2, i / 8f}).values());
        assertThat((byte[]) b.column("bits").value(r)).as(at).containsExactly((byte) (i >>> 8), (byte) i);
        var sparse = new TreeMap<Long, Float>(Map.of((long) (i % 9), i + 0.5f, 9L, 1f));
        assertThat(b.column("sparse").value(r)).as(at).isEqualTo(sparse);
        assertThat(b.column("flag").value(r)).as(at).isEqualTo(i % 2 == 0);
        assertThat(b.column("small").value(r)).as(at).isEqualTo(i == 3 ? null : i % 30000);
        assertThat(b.column("num").value(r)).as(at).isEqualTo(i * 7);
        assertThat(b.column("big").value(r)).as(at).isEqualTo(i * 10_000_000_000L);
        assertThat(b.column("r").value(r)).as(at).isEqualTo(i / 4f);
        assertThat(b.column("d").value(r)).as(at).isEqualTo(i / 4.0 + 0.5);
        assertThat(b.column("amount").value(r)).as(at).isEqualTo(i * 1.125);
        assertThat(b.column("title").value(r)).as(at).isEqualTo(title(i));
        assertThat(b.column("code").value(r)).as(at).isEqualTo("c" + i);
        assertThat(b.column("u").value(r)).as(at).isEqualTo(uuid(i));
        assertThat(b.column("day").value(r)).as(at)
                .isEqualTo(LocalDate.of(2024, 1, 1).plusDays(i).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000);
        assertThat(b.column("at").value(r)).as(at).isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH,
                LocalDateTime.of(2024, 1, 1, 10, 0, 0, 500_000_000).plusHours(i).toInstant(ZoneOffset.UTC)));
        assertThat(b.column("atz").value(r)).as(at).isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH,
                Instant.parse("2024-01-01T08:00:00Z").plusSeconds(i)));
        assertThat(json(b.column("doc").value(r))).as(at).isEqualTo(json("{\"i\":" + i + ",\"name\":\"n" + i + "\"}"));
        assertThat(json(b.column("j").value(r))).as(at).isEqualTo(json("{\"a\":[" + i + "," + (i + 1) + "]}"));
        assertThat(b.column("tags").value(r)).as(at).isEqualTo(List.of("x" + i, "y"));
        assertThat(b.column("nums").value(r)).as(at).isEqualTo(List.of(i, i * 2, i * 3));
    }

    static String title(int i) {
        return "title " + i + "é".repeat(i % 5);
    }

    static String uuid(int i) {
        try {
            String h = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
            return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                    + "-" + h.substring(20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object json(Object text) {
        try {
            return JSON.readTree((String) text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Object> ids(Batch b) {
        var out = new ArrayList<Object>();
        Column key = b.columns().values().iterator().next();
        for (int r = 0; r < b.rowCount(); r++) {
            out.add(key.value(r));
        }
        return out;
    }

    static List<Batch> read(Source source, Split split, Position from, int rows) {
        var out = new ArrayList<Batch>();
        try (var reader = source.open(split, from)) {
            for (var b = reader.next(rows); b.isPresent(); b = reader.next(rows)) {
                out.add(b.get());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
