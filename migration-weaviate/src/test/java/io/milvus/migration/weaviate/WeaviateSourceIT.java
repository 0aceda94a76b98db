package io.milvus.migration.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
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
import io.milvus.migration.spi.SourceFactory;
import io.milvus.migration.spi.Split;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Weaviate source against a real Weaviate 1.35 ({@code WEAVIATE_URL}): schema, every property kind, several
 * named vectors, tenants, parallel uuid-range parts, a resume in the middle of a part, the errors. Fails (never
 * skips) without the server.
 */
class WeaviateSourceIT {
    static final int ROWS = 200;
    private static WeaviateFixture fx;
    private static WeaviateFixture.Every every;
    private static WeaviateFixture.Tenants tenants;

    @BeforeAll
    static void create() {
        fx = new WeaviateFixture();
        every = fx.every(ROWS);
        tenants = fx.tenants(30);
    }

    @AfterAll
    static void drop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void schemaHasTheKeyEveryNamedVectorWithItsMetricAndIndexAndEveryProperty() {
        try (var source = fx.source().collections(List.of(every.name())).build()) {
            var c = source.collections().get(0);
            assertThat(c.estimatedRows()).isEqualTo(ROWS);
            CollectionSchema s = c.schema();
            assertThat(s.name()).isEqualTo(every.name());
            assertThat(s.fields()).extracting(FieldSchema::name).containsExactly("id", "body_vec", "img", "title_vec",
                    "title", "tags", "n", "ns", "score", "scores", "ok", "oks", "day", "days", "ref", "refs", "loc",
                    "phone", "data", "meta", "items", "other");
            assertThat(s.primaryKey().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.primaryKey().maxLength()).isEqualTo(36);
            assertThat(s.field("title_vec").orElseThrow()).satisfies(f -> {
                assertThat(f.dimension()).isEqualTo(8);
                assertThat(f.metric()).isEqualTo(MetricType.COSINE);
            });
            assertThat(s.field("body_vec").orElseThrow().metric()).isEqualTo(MetricType.IP);
            assertThat(s.field("img").orElseThrow().dimension()).isEqualTo(6);
            assertThat(s.field("img").orElseThrow().metric()).isEqualTo(MetricType.L2);
            Map<String, String> types = new LinkedHashMap<>();
            s.fields().stream().skip(4).forEach(f -> types.put(f.name(), f.type() == DataType.ARRAY
                    ? "ARRAY<" + f.elementType() + ">" : f.type().name()));
            String[] expected = {"title", "VARCHAR", "tags", "ARRAY<VARCHAR>", "n", "INT64", "ns", "ARRAY<INT64>",
                "score", "DOUBLE", "scores", "ARRAY<DOUBLE>", "ok", "BOOL", "oks", "ARRAY<BOOL>", "day", "INT64",
                "days", "ARRAY<INT64>", "ref", "VARCHAR", "refs", "ARRAY<VARCHAR>", "loc", "JSON", "phone", "JSON",
                "data", "VARCHAR", "meta", "JSON", "items", "VARCHAR", "other", "VARCHAR"};
            var expectedTypes = new LinkedHashMap<String, String>();
            for (int i = 0; i < expected.length; i += 2) {
                expectedTypes.put(expected[i], expected[i + 1]);
            }
            assertThat(types).containsExactlyEntriesOf(expectedTypes);
            assertThat(s.field("ref").orElseThrow().maxLength()).isEqualTo(36);
            assertThat(s.fields().stream().skip(4)).allMatch(FieldSchema::nullable);
            assertThat(s.partitions()).isEmpty();
            // named vectors in name order, as Weaviate serves them
            assertThat(source.suggestedIndexes(c)).containsExactly(
                    IndexSpec.builder("FLAT").field("body_vec").metric(MetricType.IP).build(),
                    IndexSpec.builder("HNSW").field("img").metric(MetricType.L2).param("M", 32L)
                            .param("efConstruction", 128L).build(),
                    IndexSpec.builder("HNSW").field("title_vec").metric(MetricType.COSINE).param("M", 16L)
                            .param("efConstruction", 64L).build());
        }
    }

    @Test
    void uuidRangePartsReadInParallelGiveEveryObjectOnceWithEveryField() throws Exception {
        try (var source = fx.source().collections(List.of(every.name())).partRows(50).pageSize(40).build()) {
            var c = source.collections().get(0);
            List<Split> splits = source.splits(c);
            assertThat(splits).hasSize(4);
            assertThat(splits).extracting(Split::estimatedRows).containsExactly(50L, 50L, 50L, 50L);
            var pool = Executors.newFixedThreadPool(4);
            try {
                var futures = new ArrayList<Future<List<Batch>>>();
                for (Split split : splits) {
                    Split copy = roundTrip(split);   // splits are plain serializable data
                    futures.add(pool.submit(() -> read(source, copy, Position.start(copy.id()), 32)));
                }
                var rows = new HashMap<String, Map<String, Object>>();
                var perSplit = new ArrayList<Integer>();
                for (var f : futures) {
                    int n = 0;
                    for (Batch b : f.get()) {
                        n += b.rowCount();
                        rows(b).forEach((id, row) -> assertThat(rows.put(id, row)).as("id %s once", id).isNull());
                    }
                    perSplit.add(n);
                }
                assertThat(perSplit).as("uuids spread over the ranges").allMatch(n -> n > 20);
                assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(every.objects().keySet());
                rows.forEach(WeaviateSourceIT::assertEveryField);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aPartResumedFromAPositionInItsMiddleLosesAndRepeatsNothing() {
        try (var source = fx.source().collections(List.of(every.name())).partRows(100).pageSize(20).build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            List<Batch> whole = read(source, split, Position.start(split.id()), 20);
            assertThat(whole.size()).isGreaterThan(3);
            Position middle = whole.get(1).position();
            assertThat(middle.rowsRead()).isEqualTo(40);
            assertThat(middle.cursor()).isEqualTo(whole.get(1).column("id").value(19));
            // as in a new process: a new source, the split and position as they were stored
            List<Batch> rest;
            try (var again = fx.source().collections(List.of(every.name())).partRows(100).pageSize(20).build()) {
                again.collections();
                rest = read(again, roundTrip(split), middle, 20);
            }
            var ids = new ArrayList<String>();
            whole.subList(0, 2).forEach(b -> ids.addAll(rows(b).keySet()));
            rest.forEach(b -> ids.addAll(rows(b).keySet()));
            var expected = new ArrayList<String>();
            whole.forEach(b -> expected.addAll(rows(b).keySet()));
            assertThat(ids).containsExactlyElementsOf(expected);
            assertThat(expected).isSorted();
            long total = whole.stream().mapToLong(Batch::rowCount).sum();
            assertThat(rest.get(rest.size() - 1).position().rowsRead()).isEqualTo(total);
            String outside = "ffffffff-ffff-ffff-ffff-ffffffffffff";
            assertThatThrownBy(() -> source.open(split, new Position(split.id(), 10, outside)))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("inside split");
        }
    }

    @Test
    void tenantsBecomePartitionsAndALegacyVectorTheFieldVector() {
        try (var source = fx.source().collections(List.of(tenants.name())).partRows(20).build()) {
            var c = source.collections().get(0);
            assertThat(c.estimatedRows()).isEqualTo(tenants.total());
            assertThat(c.schema().partitions()).containsExactlyElementsOf(WeaviateFixture.TENANTS);
            assertThat(c.schema().fields()).extracting(FieldSchema::name).containsExactly("id", "vector", "title", "n");
            FieldSchema v = c.schema().field("vector").orElseThrow();
            assertThat(v.dimension()).isEqualTo(5);
            assertThat(v.metric()).isEqualTo(MetricType.L2);
            List<Split> splits = source.splits(c);
            assertThat(splits).extracting(Split::partition).containsExactly("tenant_a", "tenant_a", "tenant_b",
                    "tenant_b", "tenant_c", "tenant_c", "tenant_c");   // 30, 40 and 50 objects
            var byTenant = new HashMap<String, Map<String, Map<String, Object>>>();
            for (Split split : splits) {
                for (Batch b : read(source, split, Position.start(split.id()), 100)) {
                    rows(b).forEach((id, row) -> assertThat(byTenant.computeIfAbsent(split.partition(),
                            t -> new HashMap<>()).put(id, row)).isNull());
                }
            }
            assertThat(byTenant.keySet()).containsExactlyInAnyOrderElementsOf(WeaviateFixture.TENANTS);
            tenants.objects().forEach((t, objects) -> {
                assertThat(byTenant.get(t).keySet()).containsExactlyInAnyOrderElementsOf(objects.keySet());
                objects.forEach((id, o) -> {
                    Map<String, Object> row = byTenant.get(t).get(id);
                    assertThat(row.get("title")).isEqualTo(o.path("properties").path("title").asText());
                    assertThat(row.get("n")).isEqualTo(o.path("properties").path("n").asLong());
                    float[] expected = new float[5];
                    for (int j = 0; j < 5; j++) {
                        expected[j] = o.path("vector").get(j).floatValue();
                    }
                    assertThat((float[]) row.get("vector")).isEqualTo(expected);
                });
            });
        }
        try (var source = fx.source().collections(List.of(tenants.name())).tenants(List.of("tenant_b")).build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().partitions()).containsExactly("tenant_b");
            assertThat(c.estimatedRows()).isEqualTo(tenants.objects().get("tenant_b").size());
        }
    }

    @Test
    void chosenVectorsDatesAsTextAndTheUriFactory() {
        try (var source = fx.source().collections(List.of(every.name())).vectors(List.of("img"))
                .dates(WeaviateSource.DateMapping.TEXT).nullableFields(false).build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().fields().stream().filter(f -> f.type().isVector())).extracting(FieldSchema::name)
                    .containsExactly("img");
            assertThat(c.schema().field("day").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            assertThat(c.schema().fields()).noneMatch(FieldSchema::nullable);
            assertThat(source.suggestedIndexes(c)).extracting(IndexSpec::field)
                    .containsExactly(Optional.of("img"));
            Split split = source.splits(c).get(0);
            Map<String, Object> row = rows(read(source, split, Position.start(split.id()), 10).get(0)).values()
                    .iterator().next();
            assertThat(row).doesNotContainKeys("title_vec", "body_vec");
            assertThat(Instant.parse((String) row.get("day")).toEpochMilli()).isPositive();
        }
        SourceFactory factory = ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("weaviate")).findFirst().orElseThrow();
        URI uri = URI.create("weaviate://" + fx.url.getHost() + ":" + fx.url.getPort() + "/" + tenants.name());
        assertThat(factory.supports(uri)).isTrue();
        try (Source source = factory.create(uri)) {
            assertThat(source.collections()).hasSize(1);
            assertThat(source.collections().get(0).estimatedRows()).isEqualTo(tenants.total());
        }
    }

    @Test
    void whatCannotBeCarriedIsAnErrorNamingIt() {
        var def = WeaviateClient.JSON.createObjectNode().put("vectorizer", "none");
        def.putObject("vectorIndexConfig").put("distance", "manhattan");
        String manhattan = fx.plain("manhattan", def, null);
        assertThatThrownBy(() -> fx.source().collections(List.of(manhattan)).build().collections())
                .isInstanceOf(MigrationException.class).hasMessageContaining(manhattan)
                .hasMessageContaining("manhattan")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED));

        var mt = WeaviateClient.JSON.createObjectNode().put("vectorizer", "none");
        mt.putObject("multiTenancyConfig").put("enabled", true);
        String badTenant = fx.plain("badtenant", mt, "not-a-partition");
        assertThatThrownBy(() -> fx.source().collections(List.of(badTenant)).build().collections())
                .isInstanceOf(MigrationException.class).hasMessageContaining("tenant not-a-partition")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED));

        assertThatThrownBy(() -> fx.source().collections(List.of(every.name())).vectors(List.of("nope")).build()
                .collections()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("none of the vectors [nope]")
                .hasMessageContaining("title_vec");
        assertThatThrownBy(() -> fx.source().collections(List.of("Weaviate_missing_" + fx.unique)).build()
                .collections()).isInstanceOf(MigrationException.class).hasMessageContaining("Weaviate_missing_");
    }

    /** Every field of a row of {@link WeaviateFixture#every} equals what was added. */
    static void assertEveryField(String id, Map<String, Object> row) {
        WeaviateFixture.DIMS.keySet().forEach(v -> assertThat((float[]) row.get(v)).as("%s of %s", v, id)
                .isEqualTo(every.vector(id, v)));
        assertScalars(every, id, row::get);
        assertJson(every, id, (String) row.get("loc"), (String) row.get("phone"), (String) row.get("meta"),
                (String) row.get("items"), (String) row.get("other"));
    }

    /** The scalar properties (text, number, boolean, date, reference, blob; single and arrays) of a row. */
    static void assertScalars(WeaviateFixture.Every every, String id,
                              java.util.function.Function<String, Object> row) {
        assertThat(row.apply("title")).isEqualTo(every.property(id, "title").asText());
        assertThat(row.apply("tags")).isEqualTo(texts(every.property(id, "tags")));
        assertThat(row.apply("n")).isEqualTo(every.property(id, "n").asLong());
        assertThat(row.apply("ns")).isEqualTo(longs(every.property(id, "ns")));
        assertThat(row.apply("score")).isEqualTo(every.property(id, "score").asDouble());
        var scores = new ArrayList<Double>();
        every.property(id, "scores").forEach(x -> scores.add(x.asDouble()));
        assertThat(row.apply("scores")).isEqualTo(scores);
        assertThat(row.apply("ok")).isEqualTo(every.property(id, "ok").asBoolean());
        var oks = new ArrayList<Boolean>();
        every.property(id, "oks").forEach(x -> oks.add(x.asBoolean()));
        assertThat(row.apply("oks")).isEqualTo(oks);
        assertThat(row.apply("day")).isEqualTo(Instant.parse(every.property(id, "day").asText()).toEpochMilli());
        var days = new ArrayList<Long>();
        every.property(id, "days").forEach(x -> days.add(Instant.parse(x.asText()).toEpochMilli()));
        assertThat(row.apply("days")).isEqualTo(days);
        assertThat(row.apply("ref")).isEqualTo(every.property(id, "ref").asText());
        assertThat(row.apply("refs")).isEqualTo(texts(every.property(id, "refs")));
        assertThat(row.apply("data")).isEqualTo(every.property(id, "data").asText());
    }

    /**
     * The JSON fields (geo coordinates, the phone number as Weaviate parsed it, the object) and the JSON texts (the
     * object array, the reference).
     */
    static void assertJson(WeaviateFixture.Every every, String id, String loc, String phone, String meta, String items,
                           String other) {
        JsonNode l = json(loc);
        assertThat(l.path("latitude").asDouble()).isEqualTo(every.property(id, "loc").path("latitude").asDouble());
        assertThat(l.path("longitude").asDouble()).isEqualTo(every.property(id, "loc").path("longitude").asDouble());
        JsonNode p = json(phone);
        assertThat(p.path("input").asText()).isEqualTo(every.property(id, "phone").path("input").asText());
        assertThat(p.path("countryCode").asInt()).isEqualTo(31);
        JsonNode m = json(meta);
        assertThat(m.path("color").asText()).isEqualTo(every.property(id, "meta").path("color").asText());
        assertThat(m.path("size").asLong()).isEqualTo(every.property(id, "meta").path("size").asLong());
        assertThat(json(items)).isEqualTo(every.property(id, "items"));
        JsonNode ref = json(other);   // a reference: its beacons, as Weaviate serves them
        assertThat(ref).hasSize(1);
        assertThat(ref.get(0).path("beacon").asText()).isEqualTo(every.property(id, "other").get(0).path("beacon")
                .asText());
    }

    static List<String> texts(JsonNode a) {
        var out = new ArrayList<String>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    static List<Long> longs(JsonNode a) {
        var out = new ArrayList<Long>();
        a.forEach(x -> out.add(x.asLong()));
        return out;
    }

    static JsonNode json(String text) {
        try {
            return WeaviateClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** id → field → value of a batch, in the batch's order. */
    static Map<String, Map<String, Object>> rows(Batch b) {
        var out = new LinkedHashMap<String, Map<String, Object>>();
        Column ids = b.column("id");
        for (int r = 0; r < b.rowCount(); r++) {
            var row = new HashMap<String, Object>();
            for (var e : b.columns().entrySet()) {
                row.put(e.getKey(), e.getValue().value(r));
            }
            out.put((String) ids.value(r), row);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) {
        try {
            var bytes = new ByteArrayOutputStream();
            try (var out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
