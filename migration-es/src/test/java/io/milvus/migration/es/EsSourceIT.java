package io.milvus.migration.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The source against the real servers of scripts/es-server.sh: Elasticsearch 8.19 ({@code ES8_URL}), 7.17
 * ({@code ES7_URL}) and OpenSearch 2.19 with k-NN ({@code OS2_URL}). Fails, never skips, when one is absent.
 */
class EsSourceIT {
    private static final String SCALARS = """
            "kw":{"type":"keyword"},"txt":{"type":"text"},"addr":{"type":"ip"},
            "l":{"type":"long"},"i":{"type":"integer"},"s":{"type":"short"},"b":{"type":"byte"},
            "d":{"type":"double"},"f":{"type":"float"},"hf":{"type":"half_float"},"flag":{"type":"boolean"},
            "day":{"type":"date"},"ns":{"type":"date_nanos"},"geo":{"type":"geo_point"},
            "obj":{"properties":{"a":{"type":"keyword"},"n":{"type":"long"}}},"nest":{"type":"nested"}""";

    private static Map<String, Object> scalars(int i) {
        var d = new LinkedHashMap<String, Object>();
        d.put("_id", "doc-" + i);
        d.put("vec", List.of(i, 1));
        d.put("kw", "k" + i);
        d.put("txt", "some text " + i);
        d.put("addr", "10.0.0." + (i % 250));
        d.put("l", 5_000_000_000L + i);
        d.put("i", 100_000 + i);
        d.put("s", (short) (i - 300));
        d.put("b", (byte) (i % 100 - 50));
        d.put("d", i * 1.5);
        d.put("f", i * 0.25f);
        d.put("hf", 0.5f * (i % 8));
        d.put("flag", i % 2 == 0);
        d.put("day", "2024-01-0" + (1 + i % 9) + "T00:00:00Z");
        d.put("ns", "2024-01-01T00:00:00.123456789Z");
        d.put("geo", Map.of("lat", 1.5, "lon", 2.5));
        d.put("obj", Map.of("a", "x" + i, "n", i));
        d.put("nest", List.of(Map.of("k", i)));
        return d;
    }

    private static void assertScalars(Map<String, Object> row, int i) {
        assertThat(row.get("_id")).isEqualTo("doc-" + i);
        assertThat(row.get("kw")).isEqualTo("k" + i);
        assertThat(row.get("txt")).isEqualTo("some text " + i);
        assertThat(row.get("addr")).isEqualTo("10.0.0." + (i % 250));
        assertThat(row.get("l")).isEqualTo(5_000_000_000L + i);
        assertThat(row.get("i")).isEqualTo(100_000 + i);
        assertThat(row.get("s")).isEqualTo(i - 300);
        assertThat(row.get("b")).isEqualTo(i % 100 - 50);
        assertThat(row.get("d")).isEqualTo(i * 1.5);
        assertThat(row.get("f")).isEqualTo(i * 0.25f);
        assertThat(row.get("hf")).isEqualTo(0.5f * (i % 8));
        assertThat(row.get("flag")).isEqualTo(i % 2 == 0);
        assertThat(row.get("day")).isEqualTo(java.time.Instant.parse("2024-01-0" + (1 + i % 9) + "T00:00:00Z")
                .toEpochMilli());
        assertThat(row.get("ns")).isEqualTo(1704067200_123456789L);
        assertThat(json(row.get("geo"))).isEqualTo(json("{\"lat\":1.5,\"lon\":2.5}"));
        assertThat(String.valueOf(row.get("obj"))).contains("\"a\":\"x" + i + "\"").contains("\"n\":" + i);
        assertThat(row.get("nest")).isEqualTo("[{\"k\":" + i + "}]");
    }

    static com.fasterxml.jackson.databind.JsonNode json(Object text) {
        try {
            return EsFixture.JSON.readTree(String.valueOf(text));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String unique(String base) {
        return base + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"es8", "es7", "os2"})
    void everyScalarTypeOfTheMappingArrives(String kind) {
        EsFixture es = EsFixture.of(kind);
        String index = unique("types");
        es.create(index, "{\"properties\":{" + es.vec() + "," + SCALARS + "}}", 2);
        es.bulk(index, 50, EsSourceIT::scalars);
        try (EsSource source = es.source(index).slices(2).build()) {
            var schema = source.collections().get(0).schema();
            assertThat(schema.primaryKey().name()).isEqualTo("_id");
            assertThat(schema.primaryKey().type()).isEqualTo(DataType.VARCHAR);
            Map<String, DataType> types = new TreeMap<>();
            schema.fields().forEach(f -> types.put(f.name(), f.type()));
            assertThat(types).containsEntry("kw", DataType.VARCHAR).containsEntry("txt", DataType.VARCHAR)
                    .containsEntry("addr", DataType.VARCHAR).containsEntry("l", DataType.INT64)
                    .containsEntry("i", DataType.INT32).containsEntry("s", DataType.INT16)
                    .containsEntry("b", DataType.INT8).containsEntry("d", DataType.DOUBLE)
                    .containsEntry("f", DataType.FLOAT).containsEntry("hf", DataType.FLOAT)
                    .containsEntry("flag", DataType.BOOL).containsEntry("day", DataType.INT64)
                    .containsEntry("ns", DataType.INT64).containsEntry("geo", DataType.JSON)
                    .containsEntry("obj", DataType.JSON).containsEntry("nest", DataType.JSON);
            var rows = EsRead.all(source, schema.name());
            assertThat(rows).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertScalars(rows.get("doc-" + i), i);
            }
        } finally {
            es.delete(index);
        }
    }

    @Test
    void es8VectorsFloatByteBitAndSparseWithTheirMetrics() {
        EsFixture es = EsFixture.of("es8");
        String index = unique("vectors");
        es.create(index, """
                {"properties":{
                  "v":{"type":"dense_vector","dims":4,"similarity":"l2_norm"},
                  "vb":{"type":"dense_vector","dims":3,"element_type":"byte","similarity":"dot_product"},
                  "bits":{"type":"dense_vector","dims":16,"element_type":"bit"},
                  "vc":{"type":"dense_vector","dims":2,"similarity":"cosine","index_options":{"type":"hnsw","m":24,"ef_construction":200}},
                  "sp":{"type":"sparse_vector"}}}""", 1);
        es.bulk(index, 20, i -> Map.of("_id", "d" + i, "v", List.of(i, i + 0.5, -i, 1.25),
                "vb", List.of(i % 100, -3, 7), "bits", List.of(i - 64, 5), "vc", List.of(1.0, i + 1.0),
                "sp", Map.of(String.valueOf(i + 1), 0.5, "70", 1.5)));
        try (EsSource source = es.source(index).build()) {
            var c = source.collections().get(0);
            var schema = c.schema();
            assertThat(schema.field("v").orElseThrow().metric()).isEqualTo(MetricType.L2);
            assertThat(schema.field("v").orElseThrow().dimension()).isEqualTo(4);
            assertThat(schema.field("vb").orElseThrow().type()).isEqualTo(DataType.FLOAT_VECTOR);
            assertThat(schema.field("vb").orElseThrow().metric()).isEqualTo(MetricType.IP);
            assertThat(schema.field("bits").orElseThrow().type()).isEqualTo(DataType.BINARY_VECTOR);
            assertThat(schema.field("vc").orElseThrow().metric()).isEqualTo(MetricType.COSINE);
            assertThat(schema.field("sp").orElseThrow().type()).isEqualTo(DataType.SPARSE_FLOAT_VECTOR);
            assertThat(source.suggestedIndexes(c)).anySatisfy(ix -> {
                assertThat(ix.field()).contains("vc");
                assertThat(ix.params()).containsEntry("M", 24L).containsEntry("efConstruction", 200L);
            });
            var rows = EsRead.all(source, schema.name());
            assertThat(rows).hasSize(20);
            for (int i = 0; i < 20; i++) {
                var r = rows.get("d" + i);
                assertThat(r.get("v")).isEqualTo(List.of((float) i, i + 0.5f, (float) -i, 1.25f));
                assertThat(r.get("vb")).isEqualTo(List.of((float) (i % 100), -3f, 7f));
                assertThat((byte[]) r.get("bits")).containsExactly((byte) (i - 64), (byte) 5);
                assertThat(r.get("vc")).isEqualTo(List.of(1.0f, i + 1.0f));
                assertThat(r.get("sp")).isEqualTo(new TreeMap<>(Map.of((long) i + 1, 0.5f, 70L, 1.5f)));
            }
        } finally {
            es.delete(index);
        }
    }

    @Test
    void os2KnnVectorsAndOpenSearchTypes() {
        EsFixture es = EsFixture.of("os2");
        String index = unique("knn");
        es.create(index, """
                {"properties":{
                  "v":{"type":"knn_vector","dimension":3,"method":{"name":"hnsw","engine":"lucene","space_type":"innerproduct","parameters":{"m":12,"ef_construction":64}}},
                  "u":{"type":"unsigned_long"},"w":{"type":"wildcard"},"m":{"type":"match_only_text"}}}""", 2);
        es.bulk(index, 30, i -> Map.of("_id", "o" + i, "v", List.of(i, 2, 3.5), "u", 10L + i, "w", "w" + i,
                "m", "text " + i));
        try (EsSource source = es.source(index).slices(3).build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().field("v").orElseThrow().metric()).isEqualTo(MetricType.IP);
            assertThat(c.schema().field("u").orElseThrow().type()).isEqualTo(DataType.INT64);
            assertThat(source.suggestedIndexes(c)).singleElement()
                    .satisfies(ix -> assertThat(ix.params()).containsEntry("M", 12L));
            var rows = EsRead.all(source, c.schema().name());
            assertThat(rows).hasSize(30);
            for (int i = 0; i < 30; i++) {
                assertThat(rows.get("o" + i).get("v")).isEqualTo(List.of((float) i, 2f, 3.5f));
                assertThat(rows.get("o" + i).get("u")).isEqualTo(10L + i);
                assertThat(rows.get("o" + i).get("w")).isEqualTo("w" + i);
                assertThat(rows.get("o" + i).get("m")).isEqualTo("text " + i);
            }
        } finally {
            es.delete(index);
        }
    }

    @Test
    void es7FloatArraysAsVectorOrArrayAndScroll() {
        EsFixture es = EsFixture.of("es7");
        String index = unique("arrays");
        es.create(index, "{\"properties\":{\"emb\":{\"type\":\"float\"},\"tags\":{\"type\":\"keyword\"}}}", 2);
        es.bulk(index, 40, i -> Map.of("_id", "a" + i, "emb", List.of(i, 1, 2), "tags", List.of("t" + i, "x")));
        try (EsSource source = EsSource.builder().connection(es.connection()).index(index).slices(2)
                .readMode(EsSource.ReadMode.SCROLL).pageSize(7)
                .field(FieldSchema.floatVector("emb", 3, MetricType.L2))
                .field(FieldSchema.builder("tags", DataType.ARRAY).elementType(DataType.VARCHAR).maxLength(16)
                        .maxCapacity(4).build()).build()) {
            var rows = EsRead.all(source, index);
            assertThat(rows).hasSize(40);
            for (int i = 0; i < 40; i++) {
                assertThat(rows.get("a" + i).get("emb")).isEqualTo(List.of((float) i, 1f, 2f));
                assertThat(rows.get("a" + i).get("tags")).isEqualTo(List.of("t" + i, "x"));
            }
        } finally {
            es.delete(index);
        }
    }

    @Test
    void missingFieldsAreNullsAndExtraFieldsGoToTheDynamicField() {
        EsFixture es = EsFixture.of("es8");
        String index = unique("sparse_docs");
        es.create(index, "{\"dynamic\":false,\"properties\":{" + es.vec() + ",\"kw\":{\"type\":\"keyword\"},"
                + "\"n\":{\"type\":\"long\"}}}", 1);
        es.bulk(index, 4, i -> switch (i) {
            case 0 -> Map.of("_id", "full", "kw", "a", "n", 1, "vec", List.of(1, 1));
            case 1 -> Map.of("_id", "no-n", "kw", "b", "vec", List.of(1, 1));
            case 2 -> Map.of("_id", "empty", "vec", List.of(1, 1));
            default -> Map.of("_id", "extra", "kw", "d", "n", 4, "unmapped", Map.of("x", 1), "other", "y",
                    "vec", List.of(1, 1));
        });
        try (EsSource source = es.source(index).build()) {
            var rows = EsRead.all(source, index);
            assertThat(rows.get("full")).containsEntry("kw", "a").containsEntry("n", 1L).containsEntry("$meta", "{}");
            assertThat(rows.get("no-n")).containsEntry("kw", "b").containsEntry("n", null);
            assertThat(rows.get("empty")).containsEntry("kw", null).containsEntry("n", null);
            assertThat(rows.get("extra")).containsKey("$meta");
            assertThat(json(rows.get("extra").get("$meta"))).isEqualTo(json("{\"unmapped\":{\"x\":1},\"other\":\"y\"}"));
        }
        try (EsSource source = es.source(index).dynamicField(false)
                .field(FieldSchema.builder("n", DataType.INT64).build()).build()) {
            assertThatThrownBy(() -> EsRead.all(source, index)).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("_id no-n").hasMessageContaining("not nullable");
        } finally {
            es.delete(index);
        }
    }

    @Test
    void twoHundredThousandDocumentsInFourSlicesNoneLostOrReadTwice() {
        EsFixture es = EsFixture.of("es8");
        String index = unique("many");
        es.create(index, "{\"properties\":{" + es.vec() + ",\"n\":{\"type\":\"integer\"}}}", 3);
        int n = 200_000;
        es.bulk(index, n, i -> Map.of("_id", Integer.toString(i), "n", i, "vec", List.of(i, 0)));
        try (EsSource source = es.source(index).slices(4)
                .pageSize(5000).build()) {
            var c = source.collections().get(0);
            assertThat(c.estimatedRows()).isEqualTo(n);
            var splits = source.splits(c);
            assertThat(splits).hasSize(4);
            var seen = new java.util.BitSet(n);
            long total = 0;
            for (Split s : splits) {
                long inSlice = 0;
                try (SplitReader r = source.open(s)) {
                    for (Optional<Batch> b = r.next(5000); b.isPresent(); b = r.next(5000)) {
                        var ids = b.get().column("_id");
                        var nums = b.get().column("n");
                        for (int i = 0; i < b.get().rowCount(); i++) {
                            int id = Integer.parseInt((String) ids.value(i));
                            assertThat(seen.get(id)).as("document %d read twice", id).isFalse();
                            assertThat(nums.value(i)).isEqualTo(id);
                            seen.set(id);
                        }
                        inSlice += b.get().rowCount();
                        assertThat(b.get().position().rowsRead()).isEqualTo(inSlice);
                    }
                }
                assertThat(inSlice).as("slice %s holds documents", s.id()).isPositive();
                total += inSlice;
            }
            assertThat(total).isEqualTo(n);
            assertThat(seen.cardinality()).isEqualTo(n);
        } finally {
            es.delete(index);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"es8-pit", "os2-pit", "es7-scroll", "es8-scroll"})
    void aStoppedReadResumesInsideItsSlice(String mode) {
        EsFixture es = EsFixture.of(mode.substring(0, 3));
        var readMode = mode.endsWith("scroll") ? EsSource.ReadMode.SCROLL : EsSource.ReadMode.PIT;
        String index = unique("resume");
        es.create(index, "{\"properties\":{" + es.vec() + ",\"n\":{\"type\":\"integer\"}}}", 2);
        int n = 3000;
        es.bulk(index, n, i -> Map.of("_id", Integer.toString(i), "n", i, "vec", List.of(i, 0)));
        try {
            var rows = new HashMap<String, Map<String, Object>>();
            Split slice;
            Position stoppedAt;
            try (EsSource first = es.source(index).slices(2)
                    .pageSize(100).readMode(readMode).build()) {
                var c = first.collections().get(0);
                slice = first.splits(c).get(1);
                try (SplitReader r = first.open(slice)) {
                    stoppedAt = EsRead.drain(r, "_id", rows, 4).orElseThrow().position();
                }
            }   // the source and its point in time are gone, as in a killed process
            assertThat(stoppedAt.rowsRead()).isEqualTo(400);
            assertThat(stoppedAt.cursor()).isNotEmpty();
            try (EsSource again = es.source(index).slices(2)
                    .pageSize(100).readMode(readMode).build()) {
                var c = again.collections().get(0);
                try (SplitReader r = again.open(slice, stoppedAt)) {
                    EsRead.drain(r, "_id", rows, Integer.MAX_VALUE);
                }
                try (SplitReader r = again.open(again.splits(c).get(0))) {
                    EsRead.drain(r, "_id", rows, Integer.MAX_VALUE);
                }
            }
            assertThat(rows).hasSize(n);
        } finally {
            es.delete(index);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"es8", "os2"})
    void aPointInTimeClosedUnderTheReaderIsReopened(String kind) {
        EsFixture es = EsFixture.of(kind);
        String index = unique("expire");
        es.create(index, "{\"properties\":{" + es.vec() + ",\"n\":{\"type\":\"integer\"}}}", 1);
        es.bulk(index, 1000, i -> Map.of("_id", Integer.toString(i), "n", i, "vec", List.of(i, 0)));
        try (EsSource source = es.source(index).slices(1)
                .pageSize(100).build()) {
            var rows = new HashMap<String, Map<String, Object>>();
            var split = source.splits(source.collections().get(0)).get(0);
            try (SplitReader r = source.open(split)) {
                EsRead.drain(r, "_id", rows, 3);
                if (kind.equals("os2")) {
                    es.send("DELETE", "/_search/point_in_time/_all", null);
                } else {
                    es.send("DELETE", "/_pit", "{\"id\":\"" + ((EsSplit) split).pitId() + "\"}");
                }
                EsRead.drain(r, "_id", rows, Integer.MAX_VALUE);
            }
            assertThat(rows).hasSize(1000);
        } finally {
            es.delete(index);
        }
    }

    @Test
    void vectorsExcludedFromSourceAreReadFromFields() {
        EsFixture es = EsFixture.of("es8");
        String index = unique("excluded");
        es.create(index, "{\"_source\":{\"excludes\":[\"v\"]},\"properties\":{\"v\":{\"type\":\"dense_vector\","
                + "\"dims\":3,\"similarity\":\"l2_norm\"},\"kw\":{\"type\":\"keyword\"}}}", 1);
        es.bulk(index, 10, i -> Map.of("_id", "e" + i, "v", List.of(i, 0.5, -1), "kw", "k" + i));
        try (EsSource source = es.source(index).build()) {
            var rows = EsRead.all(source, index);
            assertThat(rows).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertThat(rows.get("e" + i).get("v")).isEqualTo(List.of((float) i, 0.5f, -1f));
                assertThat(rows.get("e" + i).get("kw")).isEqualTo("k" + i);
            }
        }
        // and a user's own exclude of a vector that the source holds
        try (EsSource source = es.source(index)
                .sourceExcludes(List.of("v", "kw")).build()) {
            var rows = EsRead.all(source, index);
            assertThat(rows.get("e3").get("v")).isEqualTo(List.of(3f, 0.5f, -1f));
            assertThat(rows.get("e3").get("kw")).isEqualTo("k3");
        } finally {
            es.delete(index);
        }
    }

    @Test
    void aQuerySelectsTheDocumentsToMigrate() {
        EsFixture es = EsFixture.of("es8");
        String index = unique("subset");
        es.create(index, "{\"properties\":{" + es.vec() + ",\"n\":{\"type\":\"integer\"}}}", 2);
        es.bulk(index, 500, i -> Map.of("_id", Integer.toString(i), "n", i, "vec", List.of(i, 0)));
        try (EsSource source = es.source(index)
                .query("{\"range\":{\"n\":{\"gte\":100,\"lt\":150}}}").build()) {
            assertThat(source.collections().get(0).estimatedRows()).isEqualTo(50);
            assertThat(EsRead.all(source, index).keySet()).hasSize(50)
                    .allSatisfy(id -> assertThat(Integer.parseInt(id)).isBetween(100, 149));
        } finally {
            es.delete(index);
        }
    }

    @Test
    void anAliasOverTwoIndicesIsOneCollectionWhenMergedAndTwoOtherwise() {
        EsFixture es = EsFixture.of("es8");
        String a = unique("part_a");
        String b = unique("part_b");
        String alias = unique("both");
        es.create(a, "{\"properties\":{" + es.vec() + ",\"n\":{\"type\":\"integer\"},\"only_a\":{\"type\":\"keyword\"}}}", 1);
        es.create(b, "{\"properties\":{" + es.vec() + ",\"n\":{\"type\":\"integer\"}}}", 1);
        es.bulk(a, 30, i -> Map.of("_id", "a" + i, "n", i, "only_a", "x", "vec", List.of(i, 1)));
        es.bulk(b, 20, i -> Map.of("_id", "b" + i, "n", i, "vec", List.of(i, 2)));
        es.alias(alias, List.of(a, b));
        try (EsSource merged = es.source(alias).merge(true)
                .collectionName(alias, "merged").build()) {
            assertThat(merged.collections()).singleElement().satisfies(c -> {
                assertThat(c.schema().name()).isEqualTo("merged");
                assertThat(c.estimatedRows()).isEqualTo(50);
            });
            var rows = EsRead.all(merged, "merged");
            assertThat(rows).hasSize(50);
            assertThat(rows.get("a3")).containsEntry("only_a", "x");
            assertThat(rows.get("b3")).containsEntry("only_a", null);
        }
        try (EsSource apart = es.source(alias).build()) {
            assertThat(apart.collections()).extracting(c -> c.schema().name()).containsExactly(a, b);
            assertThat(EsRead.all(apart, a)).hasSize(30);
            assertThat(EsRead.all(apart, b)).hasSize(20);
        } finally {
            es.delete(a);
            es.delete(b);
        }
    }

    @Test
    void anEmptyIndexIsZeroRows() {
        EsFixture es = EsFixture.of("es8");
        String index = unique("empty");
        es.create(index, "{\"properties\":{" + es.vec() + ",\"n\":{\"type\":\"integer\"}}}", 1);
        try (EsSource source = es.source(index).build()) {
            assertThat(source.collections().get(0).estimatedRows()).isZero();
            assertThat(EsRead.all(source, index)).isEmpty();
        } finally {
            es.delete(index);
        }
    }

    @Test
    void documentsWithoutTheirVectorFailOrAreSkippedByTheirId() {
        EsFixture es = EsFixture.of("es8");
        String index = unique("badvec");
        es.create(index, "{\"properties\":{\"v\":{\"type\":\"dense_vector\",\"dims\":2,\"index\":false}}}", 1);
        es.bulk(index, 6, i -> switch (i) {
            case 2 -> Map.of("_id", "novec");
            default -> Map.of("_id", "ok" + i, "v", List.of(i, i));
        });
        es.send("POST", "/" + index + "/_doc/short?refresh=true", "{\"w\":1}");
        try (EsSource source = es.source(index).build()) {
            assertThatThrownBy(() -> EsRead.all(source, index)).isInstanceOf(MigrationException.class)
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                    .hasMessageContaining("_id novec").hasMessageContaining("no v");
        }
        try (EsSource source = es.source(index)
                .badVectors(EsSource.BadVectors.SKIP).build()) {
            assertThat(EsRead.all(source, index)).hasSize(5);
            assertThat(source.skippedDocuments()).containsExactlyInAnyOrder(index + "/novec", index + "/short");
        }
        try (EsSource source = es.source(index)
                .field(FieldSchema.floatVector("v", 3, MetricType.L2)).build()) {
            assertThatThrownBy(() -> EsRead.all(source, index)).hasMessageContaining("has 2 values")
                    .hasMessageContaining("needs 3");
        } finally {
            es.delete(index);
        }
    }

    @Test
    void theServerIsDetectedWithoutGetSlash() {
        for (String kind : List.of("es8", "es7", "os2")) {
            try (EsSource s = EsSource.builder().connection(EsFixture.of(kind).connection()).index("x").build()) {
                EsServer server = s.server();
                assertThat(server.flavour()).isEqualTo(kind.equals("os2") ? EsServer.Flavour.OPENSEARCH
                        : EsServer.Flavour.ELASTICSEARCH);
                assertThat(server.major()).isEqualTo(kind.equals("es8") ? 8 : kind.equals("es7") ? 7 : 2);
                assertThat(server.hasPit()).isTrue();
            }
        }
    }

}
