package io.milvus.migration.pinecone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.pinecone.proto.Vector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Pinecone source against {@link PineconeSpecStub} (a stub following Pinecone's published API, not a Pinecone
 * server): schema from describe index and the index's statistics, every field kind, namespaces as splits and
 * partitions, list pagination, resuming inside a namespace, the errors.
 */
class PineconeSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PineconeFixture fx;

    @BeforeAll
    static void create() throws Exception {
        var counts = new LinkedHashMap<String, Integer>();
        counts.put("", 130);
        counts.put("books", 57);
        counts.put("my-ns.2", 3);
        fx = new PineconeFixture("docs-index", "cosine", "dense", 0, counts);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void schemaComesFromDescribeIndexAndTheStatistics() {
        try (var source = fx.source().metadataField("title", PineconeSource.MetadataType.STRING)
                .metadataField("year", PineconeSource.MetadataType.NUMBER)
                .metadataField("draft", PineconeSource.MetadataType.BOOLEAN)
                .metadataField("tags", PineconeSource.MetadataType.STRING_LIST).build()) {
            var collections = source.collections();
            assertThat(collections).hasSize(1);
            assertThat(collections.get(0).estimatedRows()).isEqualTo(190);
            CollectionSchema s = collections.get(0).schema();
            assertThat(s.name()).isEqualTo("docs_index");
            assertThat(s.fields()).extracting(FieldSchema::name)
                    .containsExactly("id", "values", "title", "year", "draft", "tags");
            FieldSchema id = s.primaryKey();
            assertThat(id.type()).isEqualTo(DataType.VARCHAR);
            assertThat(id.maxLength()).isEqualTo(512);
            FieldSchema values = s.field("values").orElseThrow();
            assertThat(values.type()).isEqualTo(DataType.FLOAT_VECTOR);
            assertThat(values.dimension()).isEqualTo(PineconeFixture.DIM);
            assertThat(values.metric()).isEqualTo(MetricType.COSINE);
            assertThat(s.field("title").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("year").orElseThrow().type()).isEqualTo(DataType.DOUBLE);
            assertThat(s.field("draft").orElseThrow().type()).isEqualTo(DataType.BOOL);
            FieldSchema tags = s.field("tags").orElseThrow();
            assertThat(tags.type()).isEqualTo(DataType.ARRAY);
            assertThat(tags.elementType()).isEqualTo(DataType.VARCHAR);
            assertThat(s.dynamicField()).isTrue();
            assertThat(s.partitions()).containsExactly("books", "my_ns_2");

            List<Split> splits = source.splits(collections.get(0));
            assertThat(splits).extracting(Split::id)
                    .containsExactly("namespace/__default__", "namespace/books", "namespace/my-ns.2");
            assertThat(splits).extracting(Split::partition).containsExactly("", "books", "my_ns_2");
            assertThat(splits).extracting(Split::estimatedRows).containsExactly(130L, 57L, 3L);
            assertThat(source.suggestedIndexes(collections.get(0))).containsExactly(
                    IndexSpec.builder("AUTOINDEX").field("values").metric(MetricType.COSINE).build());
        }
    }

    @Test
    void metricsMapAsMilvusNamesThem() {
        assertThat(PineconeSource.metric("cosine", "x")).isEqualTo(MetricType.COSINE);
        assertThat(PineconeSource.metric("dotproduct", "x")).isEqualTo(MetricType.IP);
        assertThat(PineconeSource.metric("euclidean", "x")).isEqualTo(MetricType.L2);
        assertThatThrownBy(() -> PineconeSource.metric("hamming", "x")).isInstanceOf(MigrationException.class)
                .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThat(PineconeSource.partition("")).isEmpty();
        assertThat(PineconeSource.partition("__default__")).isEmpty();
        assertThat(PineconeSource.partition("tenant_1")).isEqualTo("tenant_1");
        assertThat(PineconeSource.partition("2024-q1")).isEqualTo("ns_2024_q1");
        assertThat(PineconeSource.partition("_default")).isEqualTo("ns__default");
    }

    @Test
    void everyRecordIsReadOnceWithEveryFieldKind() throws Exception {
        fx.stub.listRequests.clear();
        fx.stub.fetchSizes.clear();
        try (var source = fx.source().pageSize(40).metadataField("title", PineconeSource.MetadataType.STRING)
                .metadataField("year", PineconeSource.MetadataType.NUMBER)
                .metadataField("draft", PineconeSource.MetadataType.BOOLEAN)
                .metadataField("tags", PineconeSource.MetadataType.STRING_LIST).build()) {
            var c = source.collections().get(0);
            for (Split split : source.splits(c)) {
                String ns = namespaceOf(split);
                var rows = readAll(source, split, Position.start(split.id()), 25);
                assertThat(rows.keySet()).containsExactlyElementsOf(fx.ids(ns));
                rows.forEach((id, row) -> {
                    Vector v = fx.records.get(ns).get(id);
                    float[] expected = new float[PineconeFixture.DIM];
                    for (int j = 0; j < expected.length; j++) {
                        expected[j] = v.getValues(j);
                    }
                    assertThat((float[]) row.get("values")).as("values of %s", id).containsExactly(expected);
                    var md = v.getMetadata().getFieldsMap();
                    assertThat(row.get("title")).isEqualTo(md.get("title").getStringValue());
                    assertThat(row.get("year")).isEqualTo(md.get("year").getNumberValue());
                    assertThat(row.get("draft")).isEqualTo(md.get("draft").getBoolValue());
                    assertThat(row.get("tags")).isEqualTo(md.get("tags").getListValue().getValuesList().stream()
                            .map(com.google.protobuf.Value::getStringValue).toList());
                    JsonNode meta = json((String) row.get("$meta"));
                    assertThat(meta.get("score").asDouble()).isEqualTo(md.get("score").getNumberValue());
                    assertThat(meta.has("note")).isEqualTo(md.containsKey("note"));
                    assertThat(meta.has("title")).as("typed keys are not repeated in $meta").isFalse();
                });
            }
            // 40 ids per page asked for; fetches of a batch (25) or of a sampled first page (40)
            assertThat(fx.stub.listRequests).isNotEmpty().allMatch(r -> r.getLimit() == 40);
            assertThat(fx.stub.fetchSizes).allMatch(n -> n >= 1 && n <= 40).contains(25);
        }
    }

    @Test
    void metadataGoesToTheDynamicFieldAsJsonWithWholeNumbersAsIntegers() throws Exception {
        try (var source = fx.source().namespaces(List.of("books")).build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().fields()).extracting(FieldSchema::name).containsExactly("id", "values");
            Split split = source.splits(c).get(0);
            var rows = readAll(source, split, Position.start(split.id()), 1000);
            String first = fx.ids("books").get(0);
            JsonNode meta = json((String) rows.get(first).get("$meta"));
            var md = fx.records.get("books").get(first).getMetadata().getFieldsMap();
            assertThat(meta.get("year").isIntegralNumber()).isTrue();
            assertThat(meta.get("year").asLong()).isEqualTo((long) md.get("year").getNumberValue());
            assertThat(meta.get("score").isDouble()).isTrue();
            assertThat(meta.get("draft").isBoolean()).isTrue();
            assertThat(meta.get("tags").isArray()).isTrue();
            assertThat(meta.get("title").asText()).isEqualTo(md.get("title").getStringValue());
        }
    }

    @Test
    void aStoppedReadResumesInsideANamespaceWithNoRecordLostOrRepeated() throws Exception {
        // batches smaller than pages, larger than pages, page-aligned; stopped after 1..3 batches
        int[][] cases = {{40, 7}, {25, 60}, {20, 20}, {1000, 13}, {7, 3}};
        for (int[] k : cases) {
            int pageSize = k[0];
            int batch = k[1];
            var stored = new ArrayList<Position>();
            var firsts = new ArrayList<List<String>>();
            Split split;
            try (var source = fx.source().pageSize(pageSize).build()) {
                split = source.splits(source.collections().get(0)).get(0);
                for (int stopAfter = 1; stopAfter <= 3; stopAfter++) {
                    var first = new ArrayList<String>();
                    Position at = Position.start(split.id());
                    try (SplitReader r = source.open(split)) {
                        for (int i = 0; i < stopAfter; i++) {
                            Batch b = r.next(batch).orElseThrow();
                            first.addAll(ids(b));
                            at = b.position();
                        }
                    }
                    assertThat(at.rowsRead()).isEqualTo(first.size());
                    stored.add(at);
                    firsts.add(first);
                }
            }
            // another process: the split and positions come back from storage, a new source opens them
            Split copied = roundTrip(split);
            try (var source = fx.source().pageSize(pageSize).build()) {
                for (int i = 0; i < stored.size(); i++) {
                    var rest = readAll(source, copied, roundTrip(stored.get(i)), batch);
                    var all = new ArrayList<>(firsts.get(i));
                    all.addAll(rest.keySet());
                    assertThat(all).as("page %d, batch %d, stopped after %d", pageSize, batch, i + 1)
                            .containsExactlyElementsOf(fx.ids(""));
                }
            }
        }
    }

    @Test
    void theLastPositionOfANamespaceResumesToNothing() {
        try (var source = fx.source().pageSize(50).build()) {
            Split split = source.splits(source.collections().get(0)).get(2);   // my-ns.2: 3 records
            Position last;
            try (SplitReader r = source.open(split)) {
                last = r.next(1000).orElseThrow().position();
                assertThat(r.next(1000)).isEmpty();
            }
            assertThat(last.cursor()).isEqualTo("end");
            assertThat(last.rowsRead()).isEqualTo(3);
            try (SplitReader r = source.open(split, last)) {
                assertThat(r.next(10)).isEmpty();
            }
            assertThatThrownBy(() -> source.open(split, new Position(split.id(), 2, "page:x")))
                    .isInstanceOf(MigrationException.class).hasMessageContaining(split.id());
        }
    }

    @Test
    void aSparseIndexGivesASparseVectorField() throws Exception {
        try (var sparse = new PineconeFixture("sparse-index", "dotproduct", "sparse", 0, Map.of("", 12));
             var source = sparse.source().build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().fields()).extracting(FieldSchema::name).containsExactly("id", "sparse_values");
            FieldSchema f = c.schema().field("sparse_values").orElseThrow();
            assertThat(f.type()).isEqualTo(DataType.SPARSE_FLOAT_VECTOR);
            assertThat(f.metric()).isEqualTo(MetricType.IP);
            assertThat(source.suggestedIndexes(c)).containsExactly(IndexSpec.builder("SPARSE_INVERTED_INDEX")
                    .field("sparse_values").metric(MetricType.IP).build());
            Split split = source.splits(c).get(0);
            var rows = readAll(source, split, Position.start(split.id()), 5);
            assertThat(rows).hasSize(12);
            rows.forEach((id, row) -> assertThat(row.get("sparse_values")).isEqualTo(
                    sparseOf(sparse.records.get("").get(id))));
            assertThat(rows.values()).anyMatch(r -> ((SortedMap<?, ?>) r.get("sparse_values"))
                    .containsKey(3_000_000_000L));
        }
    }

    @Test
    void aHybridIndexGivesBothVectorsOrRefusesSparseValuesItDidNotSee() throws Exception {
        try (var hybrid = new PineconeFixture("hybrid-index", "dotproduct", "dense", 4, Map.of("", 30))) {
            try (var source = hybrid.source().build()) {   // AUTO: the first page holds sparse values
                var c = source.collections().get(0);
                assertThat(c.schema().fields()).extracting(FieldSchema::name)
                        .containsExactly("id", "values", "sparse_values");
                assertThat(c.schema().field("values").orElseThrow().metric()).isEqualTo(MetricType.IP);
                Split split = source.splits(c).get(0);
                var rows = readAll(source, split, Position.start(split.id()), 100);
                rows.forEach((id, row) -> assertThat(row.get("sparse_values")).as(id)
                        .isEqualTo(sparseOf(hybrid.records.get("").get(id))));
                assertThat(rows.values()).anyMatch(r -> ((SortedMap<?, ?>) r.get("sparse_values")).isEmpty());
                assertThat(source.suggestedIndexes(c)).hasSize(2);
            }
            try (var source = hybrid.source().sparseValues(PineconeSource.SparseValues.DROP).build()) {
                var c = source.collections().get(0);
                assertThat(c.schema().fields()).extracting(FieldSchema::name).containsExactly("id", "values");
                Split split = source.splits(c).get(0);
                assertThat(readAll(source, split, Position.start(split.id()), 100)).hasSize(30);
            }
        }
        // sparse values only past the sampled first page: refused, naming the record and the setting
        try (var late = new PineconeFixture("late-sparse", "dotproduct", "dense", 0, Map.of("", 30))) {
            String lastId = late.ids("").get(29);
            Vector v = late.records.get("").get(lastId).toBuilder().setSparseValues(
                    io.pinecone.proto.SparseValues.newBuilder().addIndices(3).addValues(1f)).build();
            late.index.put("", v);
            try (var source = late.source().pageSize(10).build()) {
                var c = source.collections().get(0);
                assertThat(c.schema().field("sparse_values")).isEmpty();
                Split split = source.splits(c).get(0);
                assertThatThrownBy(() -> readAll(source, split, Position.start(split.id()), 100))
                        .isInstanceOf(MigrationException.class).hasMessageContaining(lastId)
                        .hasMessageContaining("sparseValues INCLUDE")
                        .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
            }
        }
    }

    @Test
    void aTypedMetadataFieldRefusesAnotherTypeAndAMissingKeyWhenNotNullable() {
        try (var source = fx.source().namespaces(List.of("books"))
                .metadataField("title", PineconeSource.MetadataType.NUMBER).build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            assertThatThrownBy(() -> readAll(source, split, Position.start(split.id()), 10))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("'title'")
                    .hasMessageContaining(fx.ids("books").get(0)).hasMessageContaining("namespace 'books'");
        }
        try (var source = fx.source().namespaces(List.of("books")).nullableFields(false)
                .metadataField("note", PineconeSource.MetadataType.STRING).build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            assertThatThrownBy(() -> readAll(source, split, Position.start(split.id()), 100))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("no metadata key 'note'");
        }
        try (var source = fx.source().namespaces(List.of("books"))
                .metadataField("note", PineconeSource.MetadataType.STRING).build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            var rows = readAll(source, split, Position.start(split.id()), 100);
            assertThat(rows.values()).anyMatch(r -> r.get("note") == null)
                    .anyMatch(r -> "only on some".equals(r.get("note")));
        }
    }

    @Test
    void errorsNameTheIndexAndNamespaceButNeverTheKey() throws Exception {
        try (var source = PineconeSource.builder().index("docs-index").apiKey("wrong-secret-key-123")
                .controllerUrl(fx.stub.controllerUrl()).useTls(false).build()) {
            assertThatThrownBy(source::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("refused the API key").hasMessageNotContaining("wrong-secret-key-123");
            assertThat(source.describe()).doesNotContain("wrong-secret-key-123");
        }
        try (var source = fx.source().controllerUrl("http://127.0.0.1:1").build()) {   // nothing listens there
            assertThatThrownBy(source::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("describe index docs-index at http://127.0.0.1:1 failed: ")
                    .hasMessageNotContaining("failed: null").hasMessageNotContaining(PineconeFixture.KEY);
        }
        try (var source = fx.source().index("no-such-index").build()) {
            assertThatThrownBy(source::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("no-such-index").hasMessageNotContaining(PineconeFixture.KEY);
        }
        try (var source = fx.source().namespaces(List.of("nope")).build()) {
            assertThatThrownBy(source::collections).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("no namespace 'nope'")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        }
        try (var pods = new PineconeSpecStub(PineconeFixture.KEY)) {
            pods.podIndex("pod-index", 4, "euclidean");
            try (var source = PineconeSource.builder().index("pod-index").apiKey(PineconeFixture.KEY)
                    .controllerUrl(pods.controllerUrl()).useTls(false).build()) {
                assertThatThrownBy(source::collections).isInstanceOf(MigrationException.class)
                        .hasMessageContaining("pod-based")
                        .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
            }
        }
        // a data-plane host given directly (as for Pinecone Local) instead of the one describe index names
        try (var source = fx.source().namespaces(List.of("")).build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            try (var other = PineconeSource.builder().index("docs-index").apiKey(PineconeFixture.KEY)
                    .controllerUrl(fx.stub.controllerUrl()).host(fx.stub.dataHost()).useTls(false).build()) {
                assertThat(readAll(other, split, Position.start(split.id()), 500)).hasSize(130);
            }
        }
    }

    static String namespaceOf(Split split) {
        String ns = ((PineconeSplit) split).namespace();
        return PineconeSource.isDefault(ns) ? "" : ns;
    }

    static SortedMap<Long, Float> sparseOf(Vector v) {
        var m = new TreeMap<Long, Float>();
        if (v.hasSparseValues()) {
            for (int i = 0; i < v.getSparseValues().getIndicesCount(); i++) {
                m.put(Integer.toUnsignedLong(v.getSparseValues().getIndices(i)), v.getSparseValues().getValues(i));
            }
        }
        return m;
    }

    /** The rows of a split from a position, by id in reading order, each field's value. */
    static LinkedHashMap<String, Map<String, Object>> readAll(PineconeSource source, Split split, Position from,
                                                              int batch) {
        var out = new LinkedHashMap<String, Map<String, Object>>();
        long rows = from.rowsRead();
        try (SplitReader r = source.open(split, from)) {
            for (var b = r.next(batch); b.isPresent(); b = r.next(batch)) {
                Batch x = b.get();
                assertThat(x.rowCount()).isBetween(1, batch);
                rows += x.rowCount();
                assertThat(x.position().rowsRead()).isEqualTo(rows);
                assertThat(x.position().splitId()).isEqualTo(split.id());
                for (int i = 0; i < x.rowCount(); i++) {
                    var row = new LinkedHashMap<String, Object>();
                    for (var e : x.columns().entrySet()) {
                        row.put(e.getKey(), e.getValue().value(i));
                    }
                    assertThat(out.put((String) row.get("id"), row)).as("read twice: %s", row.get("id")).isNull();
                }
            }
        }
        return out;
    }

    static List<String> ids(Batch b) {
        var col = (Column.Strings) b.column("id");
        return new ArrayList<>(col.values());
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
