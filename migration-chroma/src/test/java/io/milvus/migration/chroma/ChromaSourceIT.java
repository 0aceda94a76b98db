package io.milvus.migration.chroma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Chroma source against a real Chroma 1.5 server ({@code CHROMA_URL}): schema, every field kind, parallel parts,
 * a resume in the middle of a part. Fails (never skips) without the server.
 */
class ChromaSourceIT {
    private static final int ROWS = 250;
    private static ChromaFixture fx;

    @BeforeAll
    static void create() {
        fx = new ChromaFixture("cosine", ROWS);
    }

    @Test
    void schemaComesFromTheRecordsAndTheCollectionsSettings() {
        try (var source = fx.source().build()) {
            var collections = source.collections();
            assertThat(collections).hasSize(1);
            CollectionSchema s = collections.get(0).schema();
            assertThat(collections.get(0).estimatedRows()).isEqualTo(ROWS);
            assertThat(s.name()).isEqualTo(fx.name);
            assertThat(s.fields()).extracting(FieldSchema::name)
                    .containsExactly("id", "embedding", "document", "n", "ok", "score", "tag");
            FieldSchema id = s.primaryKey();
            assertThat(id.type()).isEqualTo(DataType.VARCHAR);
            assertThat(id.maxLength()).isEqualTo(maxBytes(fx.records.keySet()));
            FieldSchema emb = s.field("embedding").orElseThrow();
            assertThat(emb.type()).isEqualTo(DataType.FLOAT_VECTOR);
            assertThat(emb.dimension()).isEqualTo(ChromaFixture.DIM);
            assertThat(emb.metric()).isEqualTo(MetricType.COSINE);
            assertThat(s.field("document").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("n").orElseThrow().type()).isEqualTo(DataType.INT64);
            assertThat(s.field("score").orElseThrow().type()).isEqualTo(DataType.DOUBLE);
            assertThat(s.field("ok").orElseThrow().type()).isEqualTo(DataType.BOOL);
            FieldSchema tag = s.field("tag").orElseThrow();
            assertThat(tag.type()).isEqualTo(DataType.VARCHAR);
            assertThat(tag.maxLength()).isEqualTo("tag 0 longer text".length());
            assertThat(s.fields()).noneMatch(FieldSchema::nullable);
            assertThat(s.dynamicField()).as("mixed, sometimes and 'bad key' go to the dynamic field").isTrue();

            assertThat(source.suggestedIndex(collections.get(0))).contains(IndexSpec.builder("HNSW")
                    .field("embedding").metric(MetricType.COSINE).param("M", 12L).param("efConstruction", 80L)
                    .build());
        }
    }

    @Test
    void partsReadInParallelGiveEveryRecordOnceWithItsValues() throws Exception {
        try (var source = fx.source().partRows(100).build()) {
            var c = source.collections().get(0);
            List<Split> splits = source.splits(c);
            assertThat(splits).hasSize(3);
            assertThat(splits).extracting(Split::estimatedRows).containsExactly(100L, 100L, 50L);
            var pool = Executors.newFixedThreadPool(3);
            try {
                var futures = new ArrayList<Future<List<Batch>>>();
                for (Split split : splits) {
                    Split copy = roundTrip(split);   // splits are plain serializable data
                    futures.add(pool.submit(() -> read(source, copy, Position.start(copy.id()), 32)));
                }
                var rows = new HashMap<String, Map<String, Object>>();
                for (var f : futures) {
                    for (Batch b : f.get()) {
                        rows(b).forEach((id, row) -> assertThat(rows.put(id, row)).as("id %s once", id).isNull());
                    }
                }
                assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(fx.records.keySet());
                rows.forEach(ChromaSourceIT::assertRecord);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aPartResumedFromAPositionInItsMiddleLosesAndRepeatsNothing() {
        try (var source = fx.source().partRows(100).build()) {
            Split split = source.splits(source.collections().get(0)).get(1);
            List<Batch> whole = read(source, split, Position.start(split.id()), 30);
            assertThat(whole).hasSize(4);
            Position middle = whole.get(1).position();
            assertThat(middle.rowsRead()).isEqualTo(60);
            List<Batch> rest = read(fx.source().partRows(100).build(), split, middle, 30);   // as in a new process
            var ids = new ArrayList<String>();
            whole.subList(0, 2).forEach(b -> ids.addAll(rows(b).keySet()));
            rest.forEach(b -> ids.addAll(rows(b).keySet()));
            var expected = new ArrayList<String>();
            whole.forEach(b -> expected.addAll(rows(b).keySet()));
            assertThat(ids).containsExactlyElementsOf(expected).hasSize(100);
            assertThat(rest.get(rest.size() - 1).position().rowsRead()).isEqualTo(100);
            assertThatThrownBy(() -> source.open(split, new Position(split.id(), 10, "5")))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("not inside split");
        }
    }

    @Test
    void metadataCanAllGoToTheDynamicFieldOrBeForcedIntoAField() {
        try (var source = fx.source().metadata(ChromaSource.MetadataMapping.DYNAMIC)
                .metadataField("mixed", DataType.VARCHAR).metadataField("sometimes", DataType.INT32).build()) {
            var c = source.collections().get(0);
            assertThat(c.schema().fields()).extracting(FieldSchema::name)
                    .containsExactly("id", "embedding", "document", "mixed", "sometimes");
            assertThat(c.schema().field("sometimes").orElseThrow().nullable()).isTrue();
            for (Batch b : read(source, source.splits(c).get(0), Position.start(source.splits(c).get(0).id()), 500)) {
                rows(b).forEach((id, row) -> {
                    Map<String, Object> md = fx.metadata(id);
                    assertThat(row.get("mixed")).isEqualTo(String.valueOf(md.get("mixed")));
                    assertThat(row.get("sometimes")).isEqualTo(md.get("sometimes"));
                    JsonNode dyn = json((String) row.get(CollectionSchema.DYNAMIC_FIELD));
                    assertThat(dyn.get("n").asLong()).isEqualTo(md.get("n"));
                    assertThat(dyn.has("mixed")).isFalse();
                });
            }
        }
        assertThatThrownBy(() -> fx.source().metadataField("bad key", DataType.VARCHAR).build().collections())
                .isInstanceOf(MigrationException.class).hasMessageContaining("bad key");
    }

    @Test
    void aMissingCollectionIsAnErrorNamingIt() {
        assertThatThrownBy(() -> fx.source().collections(List.of("nope")).build().collections())
                .isInstanceOf(MigrationException.class).hasMessageContaining("nope");
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

    /** id → field → value of a batch. */
    static Map<String, Map<String, Object>> rows(Batch b) {
        var out = new java.util.LinkedHashMap<String, Map<String, Object>>();
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

    static void assertRecord(String id, Map<String, Object> row) {
        Object[] rec = fx.records.get(id);
        assertThat((float[]) row.get("embedding")).as("embedding of %s", id).isEqualTo((float[]) rec[0]);
        assertThat(row.get("document")).isEqualTo(rec[1]);
        Map<String, Object> md = fx.metadata(id);
        assertThat(row.get("n")).isEqualTo(md.get("n"));
        assertThat(row.get("score")).isEqualTo(md.get("score"));
        assertThat(row.get("tag")).isEqualTo(md.get("tag"));
        assertThat(row.get("ok")).isEqualTo(md.get("ok"));
        JsonNode dyn = json((String) row.get(CollectionSchema.DYNAMIC_FIELD));
        assertThat(dyn.get("bad key").asText()).isEqualTo(md.get("bad key"));
        assertThat(dyn.get("mixed").isTextual() ? dyn.get("mixed").asText() : (Object) dyn.get("mixed").asLong())
                .isEqualTo(md.get("mixed"));
        if (md.containsKey("sometimes")) {
            assertThat(dyn.get("sometimes").asInt()).isEqualTo(md.get("sometimes"));
        } else {
            assertThat(dyn.has("sometimes")).isFalse();
        }
        assertThat(dyn.has("n")).isFalse();
    }

    static JsonNode json(String text) {
        try {
            return ChromaClient.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int maxBytes(Iterable<String> ids) {
        int max = 0;
        for (String id : ids) {
            max = Math.max(max, id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        return max;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
