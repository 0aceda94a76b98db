package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.storage.LocalStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Milvus 1.x data directory whose segment files are read through {@link Storage}: {@link LocalStorage} and a
 * remote-like double ({@link ObjectStoreDouble}: no local path, short range reads). Same rows as from the directory.
 */
class Milvus1StorageTest {
    @TempDir
    Path dir;

    private static Map<String, Map<String, Map<Long, byte[]>>> fromDirectory(Path root) {
        try (var s = Milvus1Source.builder().directory(root).build()) {
            return SourceRows.readAll(s, 1000);
        }
    }

    private static void assertEveryLiveRowAndNothingElse(Milvus1Fixture fx,
                                                         Map<String, Map<String, Map<Long, byte[]>>> got) {
        assertThat(got.keySet()).containsExactlyElementsOf(fx.expected.keySet());
        Set<Long> seen = new HashSet<>();
        fx.expected.forEach((collection, partitions) -> {
            var gotPartitions = got.get(collection);
            gotPartitions.values().removeIf(Map::isEmpty);   // a split whose rows are all deleted
            assertThat(gotPartitions.keySet()).as(collection)
                    .containsExactlyInAnyOrderElementsOf(partitions.keySet());
            partitions.forEach((partition, rows) -> {
                var gotRows = gotPartitions.get(partition);
                assertThat(gotRows.keySet()).as(collection + "/" + partition)
                        .containsExactlyInAnyOrderElementsOf(rows.keySet());
                rows.forEach((id, bytes) -> assertThat(gotRows.get(id)).as("id %d", id).isEqualTo(bytes));
                seen.addAll(gotRows.keySet());
            });
        });
        assertThat(seen).doesNotContainAnyElementsOf(fx.absent);
        assertThat(seen).hasSize(47 + 40 + 19 + 22 + 32 + 37 + 15 + 11);
    }

    /** Same ids and vector bytes per collection and partition, splits whose rows are all deleted ignored. */
    private static void assertSameRows(Map<String, Map<String, Map<Long, byte[]>>> a,
                                       Map<String, Map<String, Map<Long, byte[]>>> b) {
        assertThat(a.keySet()).isEqualTo(b.keySet());
        a.forEach((c, partitions) -> {
            assertThat(partitions.keySet()).as(c).isEqualTo(b.get(c).keySet());
            partitions.forEach((p, rows) -> {
                assertThat(rows.keySet()).as(c + "/" + p).isEqualTo(b.get(c).get(p).keySet());
                rows.forEach((id, v) -> assertThat(v).as("id %d", id).isEqualTo(b.get(c).get(p).get(id)));
            });
        });
    }

    @ParameterizedTest(name = "batches of at most {0} rows")
    @ValueSource(ints = {1, 7, 1000})
    void throughLocalStorageEveryLiveRowAsFromTheDirectory(int maxRows) {
        Milvus1Fixture fx = Milvus1Fixture.standard(dir, "");
        var viaDirectory = fromDirectory(dir);
        try (var source = Milvus1Source.builder().sqliteMeta(fx.db.resolve("meta.sqlite"))
                .tables(LocalStorage.at(dir), "db/tables").build()) {
            assertThat(source.describe()).contains("local:" + dir.toAbsolutePath()).contains("db/tables")
                    .contains("meta.sqlite");
            var got = SourceRows.readAll(source, maxRows);
            assertSameRows(got, viaDirectory);
            assertEveryLiveRowAndNothingElse(fx, got);
        }
    }

    @ParameterizedTest(name = "batches of at most {0} rows")
    @ValueSource(ints = {1, 7, 1000})
    void throughARemoteStoreEveryLiveRowStreamedInRangedBatches(int maxRows) {
        Milvus1Fixture fx = Milvus1Fixture.standard(dir, "");
        var viaDirectory = fromDirectory(dir);
        var store = new ObjectStoreDouble(dir);
        assertThat(store.localPath("db/tables/flt/1001/1001.rv")).isEmpty();
        // a directory for the catalogue only; a leading and trailing '/' on the prefix are ignored
        try (var source = Milvus1Source.builder().directory(dir).tables(store, "/db/tables/").build()) {
            assertThat(source.describe()).contains("double://bucket/base").contains("db/tables");
            var got = SourceRows.readAll(source, maxRows);
            assertSameRows(got, viaDirectory);
            assertEveryLiveRowAndNothingElse(fx, got);
        }
        // the .rv is read batch by batch with positional reads, never all at once (50 rows of 64 bytes here)
        long rvRead = store.largestRead.get("db/tables/flt/1001/1001.rv");
        assertThat(rvRead).isLessThanOrEqualTo(Math.max(8, (long) Math.min(maxRows, 50) * 64));
        assertThat(store.largestRead.keySet()).as("keys read").allMatch(k -> k.startsWith("db/tables/"))
                .contains("db/tables/ip/2002/deleted_docs", "db/tables/bin_1/3101/3101.uid")
                .noneMatch(k -> k.contains("dropped") || k.contains("/1003/") || k.contains("/1005/")
                        || k.contains("bloom_filter") || k.endsWith("_ivf"));
    }

    @Test
    void remoteMetaJsonWithTablesBesideIt() throws Exception {
        var fx = new Milvus1Fixture(dir);
        fx.table("docs", Milvus1Fixture.NORMAL, 8, Milvus1Fixture.IP, "", "");
        fx.segment("docs", "11", Milvus1Fixture.RAW, 1, 20, new int[] {0, 19}, "docs", "");
        fx.segment("docs", "12", Milvus1Fixture.RAW, 100, 5, new int[] {}, "docs", "");
        Files.writeString(dir.resolve("db/meta.json"), """
                {"collections":[{"collection":"docs","metric":2,"rows":23,"dim":8,"segments":[
                  {"collection":"docs","segment":"11","dim":8,"rows":18,"fileSize":800},
                  {"collection":"docs","segment":"12","dim":8,"rows":5,"fileSize":200}]}],"rows":23}
                """);
        var store = new ObjectStoreDouble(dir);
        try (var s = Milvus1Source.builder().jsonMeta(store, "/db/meta.json").build()) {
            assertThat(s.describe()).contains("meta.json catalogue double://bucket/base key db/meta.json");
            var got = SourceRows.readAll(s, 6).get("docs").get("");
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(fx.expectedRows("docs").keySet());
            fx.expectedRows("docs").forEach((id, v) -> assertThat(got.get(id)).isEqualTo(v));
        }
        assertThat(store.largestRead).containsKey("db/tables/docs/11/11.rv");
        assertThatThrownBy(() -> Milvus1Source.builder().jsonMeta(store, "db/none.json").build())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO))
                .hasMessageContaining("double://bucket/base key db/none.json does not exist");
        assertThatThrownBy(() -> Milvus1Source.builder().jsonMeta(store, "db/meta.json")
                .jsonMeta(dir.resolve("db/meta.json")).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("not both");
    }

    @Test
    void settings() {
        Milvus1Fixture.standard(dir, "");
        var store = new ObjectStoreDouble(dir);
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).tablesDirectory(dir.resolve("db/tables"))
                .tables(store, "db/tables").build())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("tablesDirectory").hasMessageContaining("not both");
        assertThatThrownBy(() -> Milvus1Source.builder().tables(store, "db/tables").build())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("directory");
        // a wrong prefix: the first segment file is missing, named by storage and key
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).tables(store, "tables").build())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO))
                .hasMessageContaining("segment 1001 of collection flt")
                .hasMessageContaining("file double://bucket/base key tables/flt/1001/1001.rv is missing");
    }

    /** One damaged segment {@code c/77} (10 rows of dim 8, row 2 deleted), read through the double. */
    private Path damaged() {
        var fx = new Milvus1Fixture(dir);
        fx.table("c", Milvus1Fixture.NORMAL, 8, Milvus1Fixture.L2, "", "");
        fx.segment("c", "77", Milvus1Fixture.RAW, 100, 10, new int[] {2}, "c", "");
        fx.writeCatalogue();
        return fx.segmentDir("c", "77");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> fails(ErrorCode code, String key) {
        var store = new ObjectStoreDouble(dir);
        return assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).tables(store, "db/tables").build())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining("segment 77 of collection c")
                .hasMessageContaining("double://bucket/base key db/tables/c/77/" + key)
                .hasMessageNotContaining(dir.toString());
    }

    @Test
    void truncatedObjectsAreSourceFormatNamingStorageAndKey() throws Exception {
        Path seg = damaged();
        try (var s = Milvus1Source.builder().directory(dir).tables(new ObjectStoreDouble(dir), "db/tables")
                .build()) {
            assertThat(SourceRows.readAll(s, 4).get("c").get("")).hasSize(9);
        }
        Path rv = seg.resolve("77.rv");
        byte[] rvBytes = Files.readAllBytes(rv);
        Files.write(rv, Arrays.copyOf(rvBytes, rvBytes.length - 5));
        fails(ErrorCode.SOURCE_FORMAT, "77.rv").hasMessageContaining("declares 320 bytes at offset 0 but holds 315")
                .hasMessageContaining("truncated");
        Files.write(rv, Arrays.copyOf(rvBytes, 5));
        fails(ErrorCode.SOURCE_FORMAT, "77.rv").hasMessageContaining("5 bytes, shorter than its 8-byte header");
        Files.write(rv, rvBytes);

        Path uid = seg.resolve("77.uid");
        byte[] uidBytes = Files.readAllBytes(uid);
        Files.write(uid, Arrays.copyOf(uidBytes, uidBytes.length - 8));
        fails(ErrorCode.SOURCE_FORMAT, "77.uid").hasMessageContaining("declares 80 bytes");
        Milvus1Fixture.write(uid, new byte[9 * 8]);
        fails(ErrorCode.SOURCE_FORMAT, "").hasMessageContaining("77.rv holds 10 vectors (320 bytes)")
                .hasMessageContaining("77.uid holds 9 ids (72 bytes)");
        Files.write(uid, uidBytes);

        Milvus1Fixture.writeRaw(seg.resolve("deleted_docs"), new byte[] {8, 0, 0, 0, 0, 0, 0, 0, 2, 0});
        fails(ErrorCode.SOURCE_FORMAT, "deleted_docs")
                .hasMessageContaining("deleted_docs declares 8 bytes at offset 0 but holds 2");
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(10);
        Milvus1Fixture.write(seg.resolve("deleted_docs"), d.array());
        fails(ErrorCode.SOURCE_FORMAT, "deleted_docs")
                .hasMessageContaining("at offset 12 deletes row 10, but the segment has 10 rows");
    }

    @Test
    void missingObjectsAreSourceIoNamingStorageAndKey() throws Exception {
        Path seg = damaged();
        Files.delete(seg.resolve("deleted_docs"));
        fails(ErrorCode.SOURCE_FORMAT, "").hasMessageContaining("catalogue says 9 live rows")
                .hasMessageContaining("0 are deleted (10 live)");
        Files.delete(seg.resolve("77.uid"));
        fails(ErrorCode.SOURCE_IO, "77.uid is missing");
        Files.delete(seg.resolve("77.rv"));
        fails(ErrorCode.SOURCE_IO, "77.rv is missing");
    }

    @Test
    void objectShortenedAfterBuildIsAnErrorNamingSegmentStorageAndKey() throws Exception {
        Path seg = damaged();
        try (var s = Milvus1Source.builder().directory(dir).tables(new ObjectStoreDouble(dir), "db/tables")
                .build()) {
            Path rv = seg.resolve("77.rv");
            Files.write(rv, Arrays.copyOf(Files.readAllBytes(rv), 40));
            var split = s.splits(s.collections().get(0)).get(0);
            try (var r = s.open(split)) {
                assertThatThrownBy(() -> r.next(100))
                        .isInstanceOfSatisfying(MigrationException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                        .hasMessageContaining("segment 77 of collection c")
                        .hasMessageContaining("double://bucket/base key db/tables/c/77/77.rv")
                        .hasMessageContaining("ended at offset 40");
            }
        }
    }
}
