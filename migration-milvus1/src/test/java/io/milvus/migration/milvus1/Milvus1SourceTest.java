package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a complete Milvus 1.x data directory built by {@link Milvus1Fixture#standard}. */
class Milvus1SourceTest {
    @TempDir
    Path dir;
    Milvus1Fixture fx;

    @BeforeEach
    void build() {
        fx = Milvus1Fixture.standard(dir, "");
    }

    @Test
    void liveCollectionsOnlyWithTheirSchemas() {
        try (var source = Milvus1Source.builder().directory(dir).build()) {
            var byName = new java.util.LinkedHashMap<String, Source.SourceCollection>();
            source.collections().forEach(c -> byName.put(c.schema().name(), c));
            assertThat(byName.keySet()).containsExactly("flt", "ip", "bin", "tan");
            assertField(byName.get("flt"), DataType.FLOAT_VECTOR, 16, MetricType.L2);
            assertField(byName.get("ip"), DataType.FLOAT_VECTOR, 8, MetricType.IP);
            assertField(byName.get("bin"), DataType.BINARY_VECTOR, 64, MetricType.HAMMING);
            assertField(byName.get("tan"), DataType.BINARY_VECTOR, 16, MetricType.JACCARD);
            assertThat(byName.get("flt").schema().primaryKey()).isEqualTo(FieldSchema.int64Key("id"));
            assertThat(byName.get("flt").estimatedRows()).isEqualTo(47 + 40 + 19 + 22);
            assertThat(byName.get("ip").estimatedRows()).isEqualTo(32);
            assertThat(byName.get("bin").estimatedRows()).isEqualTo(37 + 15);
            assertThat(byName.get("tan").estimatedRows()).isEqualTo(11);
            assertThat(source.describe()).contains(dir.toString()).contains("meta.sqlite");
        }
    }

    private static void assertField(Source.SourceCollection c, DataType type, int dim, MetricType metric) {
        FieldSchema v = c.schema().field("vector").orElseThrow();
        assertThat(v.type()).isEqualTo(type);
        assertThat(v.dimension()).isEqualTo(dim);
        assertThat(v.metric()).isEqualTo(metric);
        assertThat(c.schema().fields()).hasSize(2);
    }

    @Test
    void oneSplitPerRawSegmentWithItsPartition() {
        try (var source = Milvus1Source.builder().directory(dir).build()) {
            var flt = source.collections().get(0);
            List<Split> splits = source.splits(flt);
            assertThat(splits).extracting(Split::id)
                    .containsExactly("flt/1001", "flt/1002", "flt/1004", "flt_1/1101");
            assertThat(splits).extracting(Split::partition).containsExactly("", "", "", "tag_a");
            assertThat(splits).extracting(Split::estimatedRows).containsExactly(47L, 40L, 19L, 22L);
            var bin = source.collections().get(2);
            assertThat(source.splits(bin)).extracting(Split::partition).containsExactly("", "bin_p");
        }
    }

    @ParameterizedTest(name = "batches of at most {0} rows")
    @ValueSource(ints = {1, 3, 7, 1000})
    void everyLiveRowBitExactAndNothingElse(int maxRows) {
        try (var source = Milvus1Source.builder().directory(dir).build()) {
            var got = SourceRows.readAll(source, maxRows);
            assertThat(got.keySet()).containsExactlyElementsOf(fx.expected.keySet());
            Set<Long> seen = new HashSet<>();
            fx.expected.forEach((collection, partitions) -> {
                var gotPartitions = got.get(collection);
                gotPartitions.values().removeIf(Map::isEmpty);   // a split whose rows are all deleted
                assertThat(gotPartitions.keySet()).as(collection).containsExactlyInAnyOrderElementsOf(
                        partitions.keySet());
                partitions.forEach((partition, rows) -> {
                    var gotRows = gotPartitions.get(partition);
                    assertThat(gotRows.keySet()).as(collection + "/" + partition)
                            .containsExactlyInAnyOrderElementsOf(rows.keySet());
                    rows.forEach((id, bytes) -> assertThat(gotRows.get(id)).as("id %d", id).isEqualTo(bytes));
                    seen.addAll(gotRows.keySet());
                });
            });
            assertThat(seen).doesNotContainAnyElementsOf(fx.absent);
        }
    }

    @Test
    void deletedStaleAndDroppedRowsAreAbsentOneByOne() {
        try (var source = Milvus1Source.builder().directory(dir).build()) {
            Set<Long> ids = new HashSet<>();
            SourceRows.readAll(source, 16).values().forEach(p -> p.values().forEach(r -> ids.addAll(r.keySet())));
            // deletes at first, middle and last offsets
            assertThat(ids).doesNotContain(1000L, 1025L, 1049L, 4000L, 4012L, 4024L, 6000L, 6020L, 6039L, 3010L,
                    5032L, 7005L).contains(1001L, 1024L, 1048L, 4001L, 6001L, 6038L);
            assertThat(ids).as("every row of an all-deleted segment").noneMatch(id -> id >= 9300 && id < 9364);
            assertThat(ids).as("merged-away segment").noneMatch(id -> id >= 9000 && id < 9030);
            assertThat(ids).as("segment being merged").noneMatch(id -> id >= 9100 && id < 9110);
            assertThat(ids).as("dropped partition").noneMatch(id -> id >= 9200 && id < 9210);
            assertThat(ids).as("dropped collection and its partition").noneMatch(id -> id >= 9500 && id < 9610);
            assertThat(ids).hasSize(47 + 40 + 19 + 22 + 32 + 37 + 15 + 11);
        }
    }

    @Test
    void collectionFilter() {
        try (var source = Milvus1Source.builder().directory(dir).collections("tan", "flt").build()) {
            assertThat(source.collections()).extracting(c -> c.schema().name()).containsExactly("flt", "tan");
        }
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).collections("dropped").build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("dropped");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).collections("flt_1").build())
                .as("a partition is not a collection").isInstanceOf(MigrationException.class)
                .hasMessageContaining("flt_1");
    }

    @Test
    void fieldNamesAndMetaLocations() throws Exception {
        try (var source = Milvus1Source.builder().sqliteMeta(dir.resolve("db/meta.sqlite")).idField("pk")
                .vectorField("emb").collections("ip").build()) {
            assertThat(source.collections().get(0).schema().fields()).extracting(FieldSchema::name)
                    .containsExactly("pk", "emb");
        }
        // a db directory given directly (meta.sqlite and tables/ inside)
        try (var source = Milvus1Source.builder().directory(dir.resolve("db")).build()) {
            assertThat(source.collections()).hasSize(4);
        }
        // tables elsewhere
        Path moved = dir.resolve("moved");
        Files.move(dir.resolve("db/tables"), moved);
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_IO))
                .hasMessageContaining("1001.rv");
        try (var source = Milvus1Source.builder().directory(dir).tablesDirectory(moved).build()) {
            assertThat(SourceRows.readAll(source, 100).get("flt").get("")).hasSize(47 + 40 + 19);
        }
    }

    @Test
    void settingsErrors() {
        assertThatThrownBy(() -> Milvus1Source.builder().build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("directory")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> Milvus1Source.builder().sqliteMeta(dir).jsonMeta(dir).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("not both");
        Path none = dir.resolve("nowhere");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(none).build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_IO))
                .hasMessageContaining(none.resolve("meta.sqlite").toString());
        assertThat(none).doesNotExist();
    }
}
