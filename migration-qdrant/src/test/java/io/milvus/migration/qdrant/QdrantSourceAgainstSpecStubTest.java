package io.milvus.migration.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
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
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.qdrant.client.ValueFactory;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.SparseIndices;
import io.qdrant.client.grpc.Points.VectorOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link QdrantSource} against {@link QdrantSpecStub}, a SPEC-FOLLOWING STUB of Qdrant's gRPC API on loopback (not a
 * Qdrant server: none can run here), through the real {@code io.qdrant:client}: every field kind, splits, resuming
 * inside a split, the API key, errors.
 */
class QdrantSourceAgainstSpecStubTest {
    private QdrantSpecStub stub;

    @BeforeEach
    void start() throws Exception {
        stub = new QdrantSpecStub(null);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private QdrantSource.Builder source() {
        return QdrantSource.builder().host("127.0.0.1").port(stub.port());
    }

    @Test
    void plainCollectionMapsIdVectorIndexedPayloadAndTheRestToMeta() {
        StubFixtures.plain(stub, StubFixtures.PLAIN, 3, true);
        try (var src = source().build()) {
            var c = src.collections().get(0);
            CollectionSchema s = c.schema();
            assertThat(c.estimatedRows()).isEqualTo(3);
            assertThat(s.name()).isEqualTo("plain");
            assertThat(s.dynamicField()).isTrue();
            assertThat(s.fields()).extracting(FieldSchema::name)
                    .containsExactly("id", "vector", "at", "body", "loc", "n", "ok", "price", "title", "uid");
            assertThat(s.primaryKey().type()).isEqualTo(DataType.INT64);
            FieldSchema v = s.field("vector").orElseThrow();
            assertThat(v.type()).isEqualTo(DataType.FLOAT_VECTOR);
            assertThat(v.dimension()).isEqualTo(4);
            assertThat(v.metric()).isEqualTo(MetricType.COSINE);
            assertThat(s.field("title").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("body").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("uid").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("at").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("n").orElseThrow().type()).isEqualTo(DataType.INT64);
            assertThat(s.field("price").orElseThrow().type()).isEqualTo(DataType.DOUBLE);
            assertThat(s.field("ok").orElseThrow().type()).isEqualTo(DataType.BOOL);
            assertThat(s.field("loc").orElseThrow().type()).isEqualTo(DataType.JSON);
            assertThat(s.fields().stream().filter(f -> !f.primaryKey() && !f.type().isVector()))
                    .allMatch(FieldSchema::nullable);
            assertThat(src.suggestedIndexes(c)).containsExactly(IndexSpec.builder("HNSW").field("vector")
                    .metric(MetricType.COSINE).param("M", 12L).param("efConstruction", 80L).build());
        }
    }

    @Test
    void everyValueOfEveryPointArrivesInItsColumn() {
        int rows = 23;
        StubFixtures.plain(stub, StubFixtures.PLAIN, rows, false);
        try (var src = source().partPoints(7).pageSize(4).build()) {
            var c = src.collections().get(0);
            List<Split> splits = src.splits(c);
            assertThat(splits).extracting(Split::estimatedRows).containsExactly(7L, 7L, 7L, 2L);
            assertThat(splits).extracting(Split::id).containsExactly("plain/from-start",
                    "plain/from-n:" + StubFixtures.plainId(7), "plain/from-n:" + StubFixtures.plainId(14),
                    "plain/from-n:" + StubFixtures.plainId(21));
            var got = new ArrayList<Batch>();
            for (Split sp : splits) {
                got.addAll(readAll(src, sp, Position.start(sp.id()), 5));
            }
            int i = 0;
            for (Batch b : got) {
                assertThat(b.rowCount()).isLessThanOrEqualTo(4);   // pageSize caps the engine's 5
                assertThat(b.columns().keySet()).containsExactlyElementsOf(names(c.schema()));
                for (int r = 0; r < b.rowCount(); r++, i++) {
                    assertPlainRow(b, r, i);
                }
            }
            assertThat(i).isEqualTo(rows);
        }
    }

    static List<String> names(CollectionSchema s) {
        var out = new ArrayList<String>();
        s.fields().forEach(f -> out.add(f.name()));
        out.add(CollectionSchema.DYNAMIC_FIELD);
        return out;
    }

    /** Row {@code r} of {@code b} is point {@code i} of {@link StubFixtures#PLAIN}, every value compared. */
    static void assertPlainRow(Batch b, int r, int i) {
        Map<String, Value> p = StubFixtures.plainPayload(i, false);
        assertThat(b.column("id").value(r)).isEqualTo(StubFixtures.plainId(i));
        assertThat((float[]) b.column("vector").value(r)).containsExactly(StubFixtures.plainVector(i));
        assertThat(b.column("title").value(r)).isEqualTo(p.get("title").getStringValue());
        assertThat(b.column("body").value(r)).isEqualTo(p.get("body").getStringValue());
        assertThat(b.column("uid").value(r)).isEqualTo(new UUID(7, i).toString());
        assertThat(b.column("n").value(r)).isEqualTo(i * 10_000_000_000L - 5);
        if (i % 4 == 0) {
            assertThat(b.column("price").isNull(r)).as("price of point %d", i).isTrue();
        } else {
            assertThat(b.column("price").value(r)).isEqualTo(i % 2 == 0 ? i + 0.25 : (double) i);
        }
        assertThat(b.column("ok").value(r)).isEqualTo(i % 3 == 0);
        assertThat(b.column("at").value(r)).isEqualTo(p.get("at").getStringValue());
        assertThat(JsonParser.parseString((String) b.column("loc").value(r))).isEqualTo(json(p.get("loc")));
        var meta = new JsonObject();
        for (String k : List.of("meta", "extra_null", "extra_list", "extra_big", "extra_tiny", "extra_text")) {
            meta.add(k, json(p.get(k)));
        }
        JsonElement have = JsonParser.parseString((String) b.column(CollectionSchema.DYNAMIC_FIELD).value(r));
        assertThat(have).as("$meta of point %d", i).isEqualTo(meta);
        assertThat(have.getAsJsonObject().get("extra_big").getAsLong()).isEqualTo(Long.MAX_VALUE - i);
    }

    /** A payload value as JSON, built here independently of the source's own writer. */
    static JsonElement json(Value v) {
        return switch (v.getKindCase()) {
            case NULL_VALUE -> JsonNull.INSTANCE;
            case DOUBLE_VALUE -> new JsonPrimitive(v.getDoubleValue());
            case INTEGER_VALUE -> new JsonPrimitive(v.getIntegerValue());
            case STRING_VALUE -> new JsonPrimitive(v.getStringValue());
            case BOOL_VALUE -> new JsonPrimitive(v.getBoolValue());
            case STRUCT_VALUE -> {
                var o = new JsonObject();
                new TreeMap<>(v.getStructValue().getFieldsMap()).forEach((k, x) -> o.add(k, json(x)));
                yield o;
            }
            case LIST_VALUE -> {
                var a = new JsonArray();
                v.getListValue().getValuesList().forEach(x -> a.add(json(x)));
                yield a;
            }
            default -> throw new IllegalArgumentException(v.toString());
        };
    }

    @Test
    void namedFloat16AndSparseVectorsWithUuidKeys() {
        int rows = 12;
        StubFixtures.named(stub, rows);
        try (var src = source().collections(List.of(StubFixtures.NAMED)).partPoints(5).build()) {
            var c = src.collections().get(0);
            CollectionSchema s = c.schema();
            assertThat(s.fields()).extracting(FieldSchema::name)
                    .containsExactly("id", "image", "text", "keywords", "kind");
            assertThat(s.primaryKey().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("image").orElseThrow().type()).isEqualTo(DataType.FLOAT16_VECTOR);
            assertThat(s.field("image").orElseThrow().metric()).isEqualTo(MetricType.L2);
            assertThat(s.field("text").orElseThrow().metric()).isEqualTo(MetricType.IP);
            assertThat(s.field("keywords").orElseThrow().type()).isEqualTo(DataType.SPARSE_FLOAT_VECTOR);
            assertThat(src.suggestedIndexes(c)).containsExactly(
                    IndexSpec.builder("HNSW").field("image").metric(MetricType.L2).param("M", 16L)
                            .param("efConstruction", 100L).build(),
                    IndexSpec.builder("HNSW").field("text").metric(MetricType.IP).param("M", 24L)
                            .param("efConstruction", 100L).build(),
                    IndexSpec.builder("SPARSE_INVERTED_INDEX").field("keywords").metric(MetricType.IP).build());
            var byId = new TreeMap<String, Integer>();
            for (int i = 0; i < rows; i++) {
                byId.put(StubFixtures.namedId(i), i);
            }
            var order = new ArrayList<>(byId.keySet());   // Qdrant's UUID order is their text's order
            int seen = 0;
            for (Split sp : src.splits(c)) {
                for (Batch b : readAll(src, sp, Position.start(sp.id()), 3)) {
                    for (int r = 0; r < b.rowCount(); r++, seen++) {
                        String id = (String) b.column("id").value(r);
                        assertThat(id).isEqualTo(order.get(seen));
                        int i = byId.get(id);
                        assertThat((float[]) b.column("text").value(r)).containsExactly(i, -i, 0.5f);
                        var image = (Column.HalfVectors) b.column("image");
                        assertThat(new float[]{image.get(r, 0), image.get(r, 1)})
                                .containsExactly(StubFixtures.imageVector(i));
                        var sparse = (Column.SparseVectors) b.column("keywords");
                        var want = new TreeMap<Long, Float>();
                        if (i % 5 != 0) {
                            int[] ix = StubFixtures.sparseIndices(i);
                            float[] vs = StubFixtures.sparseValues(i);
                            for (int j = 0; j < ix.length; j++) {
                                want.put(Integer.toUnsignedLong(ix[j]), vs[j]);
                            }
                        }
                        assertThat(sparse.value(r)).as("sparse of point %d", i).isEqualTo(want);
                        assertThat(b.column("kind").value(r)).isEqualTo("k" + i % 3);
                        assertThat(b.column(CollectionSchema.DYNAMIC_FIELD).value(r)).isEqualTo("{\"free\":" + i + "}");
                    }
                }
            }
            assertThat(seen).isEqualTo(rows);
        }
    }

    @Test
    void numbersAndUuidsTogetherMakeATextKeyInQdrantsOrder() {
        StubFixtures.mixed(stub, 6);
        try (var src = source().build()) {
            var c = src.collections().get(0);
            assertThat(c.schema().primaryKey().type()).isEqualTo(DataType.VARCHAR);
            var ids = new ArrayList<Object>();
            for (Split sp : src.splits(c)) {
                for (Batch b : readAll(src, sp, Position.start(sp.id()), 100)) {
                    for (int r = 0; r < b.rowCount(); r++) {
                        ids.add(b.column("id").value(r));
                    }
                }
            }
            assertThat(ids).containsExactly("0", "2", "4", new UUID(1, 1).toString(), new UUID(3, 3).toString(),
                    new UUID(5, 5).toString());
        }
    }

    @Test
    void numbersFrom2To63MakeATextKey() {
        stub.collection("huge", StubFixtures.unnamed(2, Distance.Dot), CollectionInfo.newBuilder());
        stub.upsert("huge", PointKey.num(5), Map.of(), Map.of("", StubFixtures.dense(1, 2)));
        stub.upsert("huge", PointKey.num(-1L), Map.of(), Map.of("", StubFixtures.dense(3, 4)));   // 2^64 - 1
        try (var src = source().build()) {
            var c = src.collections().get(0);
            assertThat(c.schema().primaryKey().type()).isEqualTo(DataType.VARCHAR);
            Split sp = src.splits(c).get(0);
            Batch b = readAll(src, sp, Position.start(sp.id()), 10).get(0);
            assertThat(b.column("id").value(0)).isEqualTo("5");
            assertThat(b.column("id").value(1)).isEqualTo("18446744073709551615");
        }
    }

    @Test
    void aStoppedReadResumesAtEveryPositionWithNoPointLostOrReadTwice() {
        int rows = 17;
        StubFixtures.plain(stub, StubFixtures.PLAIN, rows, true);
        try (var src = source().partPoints(9).pageSize(100).build()) {
            var c = src.collections().get(0);
            for (Split sp : src.splits(c)) {
                List<Batch> whole = readAll(src, sp, Position.start(sp.id()), 2);
                List<Long> all = ids(whole);
                assertThat(all).hasSize((int) sp.estimatedRows());
                for (int k = 0; k < whole.size(); k++) {
                    Position at = whole.get(k).position();
                    assertThat(at.rowsRead()).isEqualTo(ids(whole.subList(0, k + 1)).size());
                    // a new source, as after a restart, continues after the position
                    try (var again = source().partPoints(9).build()) {
                        Split same = again.splits(again.collections().get(0)).stream()
                                .filter(s -> s.id().equals(sp.id())).findFirst().orElseThrow();
                        List<Batch> rest = readAll(again, same, at, 3);
                        var joined = new ArrayList<>(ids(whole.subList(0, k + 1)));
                        joined.addAll(ids(rest));
                        assertThat(joined).as("split %s resumed after batch %d", sp.id(), k).isEqualTo(all);
                        if (!rest.isEmpty()) {
                            assertThat(rest.get(rest.size() - 1).position().rowsRead()).isEqualTo(all.size());
                        }
                    }
                }
                assertThat(whole.get(whole.size() - 1).position().cursor()).isEqualTo("end");
            }
        }
    }

    @Test
    void aPositionOutsideItsSplitOrWithoutAPointIdIsRefused() {
        StubFixtures.plain(stub, StubFixtures.PLAIN, 10, true);
        try (var src = source().partPoints(5).build()) {
            List<Split> splits = src.splits(src.collections().get(0));
            Split first = splits.get(0);
            assertThatThrownBy(() -> src.open(first, new Position(first.id(), 3, "n:" + StubFixtures.plainId(7))))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("not inside split plain/from-start")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
            assertThatThrownBy(() -> src.open(first, new Position(first.id(), 3, "17")))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("no point id")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
            try (SplitReader r = src.open(first, new Position(first.id(), 5, "end"))) {
                assertThat(r.next(10)).isEmpty();
            }
        }
    }

    @Test
    void theApiKeyIsSentAndNeverShown() throws Exception {
        stub.close();
        String key = "s3cr3t-qdrant-key";
        stub = new QdrantSpecStub(key);
        StubFixtures.plain(stub, StubFixtures.PLAIN, 3, true);
        try (var src = source().apiKey(key).build()) {
            assertThat(src.collections()).hasSize(1);
            assertThat(src.toString()).doesNotContain(key);
            assertThat(src.describe()).doesNotContain(key);
        }
        try (var src = source().apiKey("wrong-" + key).build()) {
            assertThatThrownBy(src::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("UNAUTHENTICATED").hasMessageContaining("API key")
                    .hasMessageNotContaining(key)
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_IO);
        }
        var b = source().apiKey(key);
        assertThat(b.toString()).doesNotContain(key);
    }

    @Test
    void aMissingCollectionIsAConfigurationError() {
        try (var src = source().collections(List.of("nope")).build()) {
            assertThatThrownBy(src::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("nope").hasMessageContaining("NOT_FOUND")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        }
    }

    @Test
    void anUnreachableServerIsSourceIo() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (var src = QdrantSource.builder().host("127.0.0.1").port(port).build()) {
            assertThatThrownBy(src::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("UNAVAILABLE")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_IO);
        }
    }

    @Test
    void aValueThatDoesNotFitItsIndexTypeFailsNamingThePointUnlessThePayloadIsDynamic() {
        stub.collection("tags", StubFixtures.unnamed(2, Distance.Cosine), CollectionInfo.newBuilder()
                .putPayloadSchema("tag", StubFixtures.index(PayloadSchemaType.Keyword)));
        stub.upsert("tags", PointKey.num(1), Map.of("tag", ValueFactory.value("a")), Map.of("", StubFixtures.dense(1, 0)));
        stub.upsert("tags", PointKey.num(2), Map.of("tag", ValueFactory.list(List.of(ValueFactory.value("a"),
                ValueFactory.value("b")))), Map.of("", StubFixtures.dense(0, 1)));
        try (var src = source().build()) {
            var c = src.collections().get(0);
            Split sp = src.splits(c).get(0);
            assertThatThrownBy(() -> readAll(src, sp, Position.start(sp.id()), 10))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("point n:2")
                    .hasMessageContaining("a list under payload key 'tag'").hasMessageContaining("payloadFields false")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        }
        try (var src = source().payloadFields(false).build()) {
            var c = src.collections().get(0);
            assertThat(c.schema().fields()).extracting(FieldSchema::name).containsExactly("id", "vector");
            Split sp = src.splits(c).get(0);
            Batch b = readAll(src, sp, Position.start(sp.id()), 10).get(0);
            assertThat(b.column(CollectionSchema.DYNAMIC_FIELD).value(1)).isEqualTo("{\"tag\":[\"a\",\"b\"]}");
        }
    }

    @Test
    void withoutNullableFieldsAPointLackingAnIndexedKeyFailsNamingIt() {
        StubFixtures.plain(stub, StubFixtures.PLAIN, 5, false);
        try (var src = source().nullableFields(false).build()) {
            var c = src.collections().get(0);
            assertThat(c.schema().fields()).noneMatch(FieldSchema::nullable);
            Split sp = src.splits(c).get(0);
            assertThatThrownBy(() -> readAll(src, sp, Position.start(sp.id()), 10))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("point n:" + StubFixtures.plainId(0))
                    .hasMessageContaining("no value for payload key 'price'")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        }
    }

    @Test
    void theDeprecatedFlatVectorFormIsReadToo() {
        var params = io.qdrant.client.grpc.Collections.CollectionParams.newBuilder()
                .setVectorsConfig(StubFixtures.unnamed(3, Distance.Dot).getVectorsConfig())
                .setSparseVectorsConfig(io.qdrant.client.grpc.Collections.SparseVectorConfig.newBuilder()
                        .putMap("sp", io.qdrant.client.grpc.Collections.SparseVectorParams.getDefaultInstance()))
                .build();
        // unnamed and sparse together come back as named vectors, the unnamed one under ""
        stub.collection("legacy", params, CollectionInfo.newBuilder());
        var vectors = new LinkedHashMap<String, VectorOutput>();
        vectors.put("", VectorOutput.newBuilder().addData(1).addData(2).addData(3).build());
        vectors.put("sp", VectorOutput.newBuilder().addData(0.5f).addData(0.25f)
                .setIndices(SparseIndices.newBuilder().addData(9).addData(4)).build());
        stub.upsert("legacy", PointKey.num(1), Map.of(), vectors);
        try (var src = source().build()) {
            var c = src.collections().get(0);
            Split sp = src.splits(c).get(0);
            Batch b = readAll(src, sp, Position.start(sp.id()), 10).get(0);
            assertThat((float[]) b.column("vector").value(0)).containsExactly(1, 2, 3);
            assertThat(b.column("sp").value(0)).isEqualTo(new TreeMap<>(Map.of(4L, 0.25f, 9L, 0.5f)));
        }
    }

    @Test
    void manhattanDistanceIsUnsupported() {
        stub.collection("l1", StubFixtures.unnamed(2, Distance.Manhattan), CollectionInfo.newBuilder());
        try (var src = source().build()) {
            assertThatThrownBy(src::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("Manhattan")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        }
    }

    @Test
    void anEmptyCollectionHasNoSplits() {
        stub.collection("empty", StubFixtures.unnamed(2, Distance.Cosine), CollectionInfo.newBuilder());
        try (var src = source().build()) {
            var c = src.collections().get(0);
            assertThat(c.estimatedRows()).isZero();
            assertThat(src.splits(c)).isEmpty();
        }
    }

    static List<Batch> readAll(Source src, Split sp, Position from, int maxRows) {
        var out = new ArrayList<Batch>();
        try (SplitReader r = src.open(sp, from)) {
            for (var b = r.next(maxRows); b.isPresent(); b = r.next(maxRows)) {
                assertThat(b.get().rowCount()).isBetween(1, maxRows);
                out.add(b.get());
            }
        }
        return out;
    }

    private static List<Long> ids(List<Batch> batches) {
        var out = new ArrayList<Long>();
        for (Batch b : batches) {
            for (int r = 0; r < b.rowCount(); r++) {
                out.add((Long) b.column("id").value(r));
            }
        }
        return out;
    }
}
