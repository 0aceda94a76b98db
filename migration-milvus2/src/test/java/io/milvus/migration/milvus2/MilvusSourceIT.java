package io.milvus.migration.milvus2;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.ConsistencyLevel;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MilvusSource} against a real Milvus 2.3.5 (the source server, {@code MILVUS_SOURCE_URI}): schemas, partitions
 * and indexes as the server describes them, every row of every type read back by key ranges, at one snapshot, and
 * continued from a position inside a split.
 */
class MilvusSourceIT {
    private static final TestMilvus SRC = new TestMilvus("MILVUS_SOURCE_URI");

    @AfterAll
    static void close() {
        SRC.close();
    }

    @Test
    void everyScalarTypeIsReadInKeyRangesAtOneSnapshot() {
        String name = TestMilvus.uniqueName("src_all");
        var fixture = SourceFixtures.allScalars(SRC.client, name, 3_000);
        try (var source = MilvusSource.builder().uri(SRC.uri).collection(name, name + "_copy").splitRows(400)
                .pageRows(256).build()) {
            Source.SourceCollection sc = source.collections().get(0);
            CollectionSchema s = sc.schema();
            assertThat(s.name()).isEqualTo(name + "_copy");
            assertThat(sc.estimatedRows()).isEqualTo(3_000);
            assertThat(s.description()).isEqualTo("every scalar type");
            assertThat(s.dynamicField()).isTrue();
            assertThat(s.partitions()).containsExactly("p1", "p2");
            assertThat(s.consistencyLevel()).contains(ConsistencyLevel.BOUNDED);
            assertThat(s.shards()).isEqualTo(2);
            assertThat(s.fields()).extracting(FieldSchema::name)
                    .containsExactly("id", "b", "i8", "i16", "i32", "i64", "f", "d", "s", "j", "al", "as", "v");
            assertThat(s.fields()).extracting(FieldSchema::type).containsExactly(DataType.INT64, DataType.BOOL,
                    DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.FLOAT, DataType.DOUBLE,
                    DataType.VARCHAR, DataType.JSON, DataType.ARRAY, DataType.ARRAY, DataType.FLOAT_VECTOR);
            FieldSchema id = s.primaryKey();
            assertThat(id.name()).isEqualTo("id");
            assertThat(id.autoId()).as("the ids are copied: the target gets them written").isFalse();
            assertThat(id.description()).isEqualTo("the key");
            assertThat(s.field("s").orElseThrow().maxLength()).isEqualTo(200);
            assertThat(s.field("al").orElseThrow().elementType()).isEqualTo(DataType.INT64);
            assertThat(s.field("al").orElseThrow().maxCapacity()).isEqualTo(8);
            assertThat(s.field("as").orElseThrow().elementType()).isEqualTo(DataType.VARCHAR);
            assertThat(s.field("as").orElseThrow().maxCapacity()).isEqualTo(4);
            assertThat(s.field("as").orElseThrow().maxLength()).isEqualTo(32);
            assertThat(s.field("v").orElseThrow().dimension()).isEqualTo(SourceFixtures.DIM);
            assertThat(s.field("v").orElseThrow().metric()).isEqualTo(MetricType.L2);

            List<IndexSpec> indexes = source.suggestedIndexes(sc);
            IndexSpec hnsw = indexes.stream().filter(i -> i.field().orElse("").equals("v")).findFirst().orElseThrow();
            assertThat(hnsw.type()).isEqualTo("HNSW");
            assertThat(hnsw.metric()).contains(MetricType.L2);
            assertThat(hnsw.param("M")).contains(8L);
            assertThat(hnsw.param("efConstruction")).contains(64L);
            assertThat(indexes).anySatisfy(i -> {
                assertThat(i.field()).contains("i32");
                assertThat(i.type()).isEqualTo("STL_SORT");
            });

            List<Split> splits = source.splits(sc);
            assertThat(splits).extracting(Split::partition).containsOnly("", "p1", "p2");
            assertThat(splits.size()).as("1,000 rows per partition in ranges of 400").isEqualTo(9);
            assertThat(splits.stream().mapToLong(Split::estimatedRows).sum()).isEqualTo(3_000);

            // written after the copy started: Milvus 2.3 has no snapshot reads, so they may be read, and are
            // reported as drift
            SourceFixtures.allScalarsMore(SRC.client, name, 50);

            Map<Object, Got> got = readAll(source, splits);
            var late = new HashMap<>(got);
            late.keySet().removeAll(fixture.rows().keySet());
            assertThat(late.values()).allSatisfy(g -> {
                assertThat(g.partition()).isEqualTo("p1");
                assertThat(g.values().get("s")).isEqualTo("late");
            });
            got.keySet().retainAll(fixture.rows().keySet());
            compare(fixture, got, s);
            if (!late.isEmpty()) {
                assertThat(source.drift()).isNotEmpty().allSatisfy(d -> assertThat(d.split()).startsWith("p1#"));
                assertThat(source.drift().stream().mapToLong(MilvusSource.Drift::rowsNow).sum()
                        - source.drift().stream().mapToLong(MilvusSource.Drift::estimatedRows).sum()).isEqualTo(50);
            }
        }
    }

    @Test
    void varcharKeysPartitionKeyAndFloat16VectorsAreRead() {
        String name = TestMilvus.uniqueName("src_vk");
        var fixture = SourceFixtures.varcharKey(SRC.client, name, 2_500);
        try (var source = MilvusSource.builder().uri(SRC.uri).collection(name).splitRows(1_000).pageRows(300)
                .build()) {
            Source.SourceCollection sc = source.collections().get(0);
            CollectionSchema s = sc.schema();
            assertThat(s.partitions()).as("a partition key's partitions are the server's own").isEmpty();
            assertThat(s.field("tenant").orElseThrow().partitionKey()).isTrue();
            assertThat(s.primaryKey().type()).isEqualTo(DataType.VARCHAR);
            assertThat(s.primaryKey().maxLength()).isEqualTo(64);
            assertThat(s.field("h").orElseThrow().type()).isEqualTo(DataType.FLOAT16_VECTOR);
            assertThat(s.field("h").orElseThrow().metric()).isEqualTo(MetricType.IP);
            IndexSpec ivf = source.suggestedIndexes(sc).get(0);
            assertThat(ivf.type()).isEqualTo("IVF_FLAT");
            assertThat(ivf.param("nlist")).contains(16L);
            List<Split> splits = source.splits(sc);
            assertThat(splits).hasSize(3).extracting(Split::partition).containsOnly("");
            Map<Object, Got> got = readAll(source, splits);
            compare(fixture, got, s);
        }
    }

    @Test
    void binaryVectorsAndNegativeKeysAreRead() {
        String name = TestMilvus.uniqueName("src_bin");
        var fixture = SourceFixtures.binary(SRC.client, name, 1_200);
        try (var source = MilvusSource.builder().uri(SRC.uri).collection(name).splitRows(500).build()) {
            var sc = source.collections().get(0);
            assertThat(sc.schema().field("bv").orElseThrow().metric()).isEqualTo(MetricType.HAMMING);
            compare(fixture, readAll(source, source.splits(sc)), sc.schema());
        }
    }

    @Test
    void aSplitContinuesAfterTheLastKeyOfAPosition() {
        String name = TestMilvus.uniqueName("src_resume");
        var fixture = SourceFixtures.binary(SRC.client, name, 2_000);
        try (var source = MilvusSource.builder().uri(SRC.uri).collection(name).splitRows(5_000).pageRows(128)
                .build()) {
            var sc = source.collections().get(0);
            Split split = source.splits(sc).get(0);
            var first = new ArrayList<Object>();
            Position at;
            try (SplitReader r = source.open(split)) {
                Batch b1 = r.next(100).orElseThrow();
                Batch b2 = r.next(100).orElseThrow();
                assertThat(b1.rowCount()).isEqualTo(100);
                keys(b1, first);
                keys(b2, first);
                at = b2.position();
            }
            assertThat(at.rowsRead()).isEqualTo(200);
            assertThat(at.cursor()).isEqualTo(first.get(first.size() - 1).toString());
            var rest = new ArrayList<Object>();
            try (SplitReader r = source.open(split, at)) {
                Optional<Batch> b;
                while ((b = r.next(300)).isPresent()) {
                    keys(b.get(), rest);
                }
            }
            var all = new ArrayList<>(first);
            all.addAll(rest);
            assertThat(all).as("keys in order, none twice, none left out").doesNotHaveDuplicates()
                    .isSorted().containsExactlyInAnyOrderElementsOf(fixture.rows().keySet());
        }
    }

    /** A row read: its split's partition and its values by field. */
    record Got(String partition, Map<String, Object> values) {
    }

    private static void keys(Batch b, List<Object> out) {
        for (int r = 0; r < b.rowCount(); r++) {
            out.add(b.column("id").value(r));
        }
    }

    /** Every row of the splits by key, each with its split's partition; fails on a key read twice. */
    static Map<Object, Got> readAll(Source source, List<Split> splits) {
        var out = new HashMap<Object, Got>();
        for (Split split : splits) {
            try (SplitReader r = source.open(split)) {
                Optional<Batch> b;
                while ((b = r.next(1_000)).isPresent()) {
                    Batch batch = b.get();
                    String key = batch.columns().keySet().iterator().next();
                    for (int i = 0; i < batch.rowCount(); i++) {
                        var row = new Got(split.partition(), new HashMap<>());
                        for (var e : batch.columns().entrySet()) {
                            row.values().put(e.getKey(), e.getValue().value(i));
                        }
                        Object k = batch.column(key).value(i);
                        assertThat(out.put(k, row)).as("key %s read twice", k).isNull();
                    }
                }
            }
        }
        return out;
    }

    /** Compares every row and field (JSON as parsed, vectors element for element) and each row's partition. */
    static void compare(SourceFixtures.Fixture fixture, Map<Object, Got> got, CollectionSchema schema) {
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(fixture.rows().keySet());
        for (var e : fixture.rows().entrySet()) {
            Got row = got.get(e.getKey());
            assertThat(row.partition()).as("partition of %s", e.getKey()).isEqualTo(e.getValue().get("$partition"));
            for (var f : e.getValue().entrySet()) {
                if (f.getKey().equals("$partition")) {
                    continue;
                }
                Object want = f.getValue();
                Object have = row.values().get(f.getKey());
                boolean json = f.getKey().equals(CollectionSchema.DYNAMIC_FIELD)
                        || schema.field(f.getKey()).map(x -> x.type() == DataType.JSON).orElse(false);
                String what = "field " + f.getKey() + " of key " + e.getKey();
                if (json) {
                    assertThat(JsonParser.parseString((String) have)).as(what)
                            .isEqualTo(JsonParser.parseString((String) want));
                } else if (want instanceof float[] w) {
                    assertThat((float[]) have).as(what).containsExactly(w);
                } else if (want instanceof byte[] w) {
                    assertThat(Arrays.equals((byte[]) have, w)).as(what).isTrue();
                } else {
                    assertThat(have).as(what).isEqualTo(want);
                }
            }
        }
    }
}
