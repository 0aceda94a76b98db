package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every size that does not match, every missing file and every metric Milvus 2.x lacks is a typed error. */
class Milvus1SourceErrorsTest {
    @TempDir
    Path dir;
    Milvus1Fixture fx;
    Path seg;

    @BeforeEach
    void build() {
        fx = new Milvus1Fixture(dir);
        fx.table("c", Milvus1Fixture.NORMAL, 8, Milvus1Fixture.L2, "", "");
        fx.segment("c", "77", Milvus1Fixture.RAW, 100, 10, new int[] {2}, "c", "");
        fx.writeCatalogue();
        seg = fx.segmentDir("c", "77");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> fails(ErrorCode code) {
        return assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(code))
                .hasMessageContaining("segment 77 of collection c");
    }

    @Test
    void healthyFixtureReads() {
        try (var s = Milvus1Source.builder().directory(dir).build()) {
            assertThat(SourceRows.readAll(s, 4).get("c").get("").keySet())
                    .containsExactlyInAnyOrder(100L, 101L, 103L, 104L, 105L, 106L, 107L, 108L, 109L);
        }
    }

    @Test
    void catalogueRowCountDiffersFromTheFiles() {
        fx.sql("UPDATE TableFiles SET row_count = 10 WHERE segment_id = '77'");
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("catalogue says 10 live rows")
                .hasMessageContaining("hold 10 rows of which 1 are deleted (9 live)");
    }

    @Test
    void idsAndVectorsDisagree() throws Exception {
        Milvus1Fixture.write(seg.resolve("77.uid"), new byte[9 * 8]);
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("77.rv holds 10 vectors (320 bytes)")
                .hasMessageContaining("77.uid holds 9 ids (72 bytes)");
    }

    @Test
    void headerDisagreesWithFileSize() throws Exception {
        Path rv = seg.resolve("77.rv");
        byte[] b = Files.readAllBytes(rv);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 352);
        Files.write(rv, b);
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining(rv.toString())
                .hasMessageContaining("declares 352 bytes at offset 0 but holds 320").hasMessageContaining("truncated");
    }

    @Test
    void truncatedVectorFile() throws Exception {
        Path rv = seg.resolve("77.rv");
        byte[] b = Files.readAllBytes(rv);
        Files.write(rv, Arrays.copyOf(b, b.length - 5));
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("declares 320 bytes at offset 0 but holds 315");
        Files.write(rv, Arrays.copyOf(b, 5));
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("5 bytes, shorter than its 8-byte header");
    }

    @Test
    void vectorBytesNotAWholeNumberOfRows() throws Exception {
        Milvus1Fixture.write(seg.resolve("77.rv"), new byte[321]);
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("321 bytes, not a whole number of vectors of 32 bytes");
    }

    @Test
    void truncatedIdsAndDeletes() throws Exception {
        Path uid = seg.resolve("77.uid");
        byte[] b = Files.readAllBytes(uid);
        Files.write(uid, Arrays.copyOf(b, b.length - 8));
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining(uid.toString()).hasMessageContaining("declares 80 bytes");
        Files.write(uid, b);
        Milvus1Fixture.writeRaw(seg.resolve("deleted_docs"), new byte[] {8, 0, 0, 0, 0, 0, 0, 0, 2, 0});
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("deleted_docs declares 8 bytes at offset 0 but holds 2");
    }

    @Test
    void deletedOffsetOutOfRange() {
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(10);
        Milvus1Fixture.write(seg.resolve("deleted_docs"), d.array());
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("at offset 12 deletes row 10, but the segment has 10 rows");
    }

    @Test
    void missingFiles() throws Exception {
        Files.delete(seg.resolve("77.uid"));
        fails(ErrorCode.SOURCE_IO).hasMessageContaining(seg.resolve("77.uid") + " is missing");
        Files.delete(seg.resolve("77.rv"));
        fails(ErrorCode.SOURCE_IO).hasMessageContaining(seg.resolve("77.rv") + " is missing");
    }

    @Test
    void missingDeletedDocsMeansNoDeletesWhichTheCatalogueContradicts() throws Exception {
        Files.delete(seg.resolve("deleted_docs"));
        fails(ErrorCode.SOURCE_FORMAT).hasMessageContaining("catalogue says 9 live rows")
                .hasMessageContaining("0 are deleted (10 live)");
        fx.sql("UPDATE TableFiles SET row_count = 10");
        try (var s = Milvus1Source.builder().directory(dir).build()) {
            assertThat(SourceRows.readAll(s, 100).get("c").get("")).hasSize(10);
        }
    }

    @Test
    void fileChangedAfterBuildIsAnErrorNamingTheSegment() throws Exception {
        try (var s = Milvus1Source.builder().directory(dir).build()) {
            Path rv = seg.resolve("77.rv");
            Files.write(rv, Arrays.copyOf(Files.readAllBytes(rv), 40));
            var split = s.splits(s.collections().get(0)).get(0);
            try (var r = s.open(split)) {
                assertThatThrownBy(() -> r.next(100)).isInstanceOf(MigrationException.class)
                        .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                        .hasMessageContaining("segment 77 of collection c").hasMessageContaining(rv.toString())
                        .hasMessageContaining("ended at offset 40");
            }
        }
    }

    @Test
    void substructureAndSuperstructureAreUnsupportedUnlessFilteredOut() {
        fx.sql("INSERT INTO Tables VALUES(NULL, 'sub', 0, 64, 0, 0, 1024, 9, '{}', 6, '', '', '1.1.0', 0)",
                "INSERT INTO Tables VALUES(NULL, 'sup', 0, 64, 0, 0, 1024, 9, '{}', 7, '', '', '1.1.0', 0)");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).collections("sub").build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED))
                .hasMessageContaining("collection sub").hasMessageContaining("SUBSTRUCTURE");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).collections("c", "sup").build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("collection sup")
                .hasMessageContaining("SUPERSTRUCTURE");
        try (var s = Milvus1Source.builder().directory(dir).collections("c").build()) {
            assertThat(s.collections()).hasSize(1);
        }
    }

    @Test
    void badCataloguesAndShapes() throws Exception {
        fx.sql("INSERT INTO Tables VALUES(NULL, 'odd', 0, 12, 0, 0, 1024, 9, '{}', 3, '', '', '1.1.0', 0)");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).collections("odd").build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("collection odd")
                .hasMessageContaining("dimension 12");
        fx.sql("INSERT INTO TableFiles VALUES(NULL, 'c', '77', 1, '77', 2, 0, 9, 0, 0, 0, 0)");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).collections("c").build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("segment 77 of collection c")
                .hasMessageContaining("more than one raw vector file");
        fx.sql("DROP TABLE TableFiles");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                .hasMessageContaining("not a Milvus 1.x catalogue").hasMessageContaining("TableFiles");
        Path notSqlite = dir.resolve("junk.sqlite");
        Files.writeString(notSqlite, "this is not a database, just some text that is long enough ...........");
        assertThatThrownBy(() -> Milvus1Source.builder().sqliteMeta(notSqlite).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining(notSqlite.toString());
    }

    @Test
    void partitionDisagreeingWithItsCollection() {
        fx.sql("INSERT INTO Tables VALUES(NULL, 'c_9', 0, 16, 0, 0, 1024, 1, '{}', 1, 'c', 'p9', '1.1.0', 0)");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("partition p9")
                .hasMessageContaining("dimension 16");
    }
}
