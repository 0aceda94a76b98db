package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Bytes written by a real Milvus 1.x ({@code ../shared/fixtures/milvus1x-test1w}: the {@code .uid},
 * {@code deleted_docs}, {@code bloom_filter} and the old tool's {@code meta.json}; the {@code .rv} is missing).
 */
class Milvus1RealFilesTest {
    /** {@code shared/} sits beside the checkout; tests run in the module directory, one below the checkout. */
    static final Path ROOT = System.getProperty("milvus1.fixtures") != null
            ? Path.of(System.getProperty("milvus1.fixtures"))
            : Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("fixtures/milvus1x-test1w");
    static final Path SEGMENT = ROOT.resolve("tables/test1w/1678354366132931000");

    @Test
    void idFileHoldsTenThousandIdsOneToTenThousand() {
        long[] ids = SegmentFiles.readIds("real segment",
                new SegmentStore.LocalFile(SEGMENT.resolve("1678354366132931000.uid")));
        assertThat(ids).hasSize(10_000);
        assertThat(ids).containsExactly(LongStream.rangeClosed(1, 10_000).toArray());
    }

    @Test
    void deletedDocsIsEmpty() {
        Path deleted = SEGMENT.resolve("deleted_docs");
        assertThat(SegmentFiles.readDeletedOffsets("real segment", new SegmentStore.LocalFile(deleted))).isEmpty();
        assertThat(SegmentFiles.deletedRows("real segment", new SegmentStore.LocalFile(deleted), 10_000).cardinality())
                .isZero();
    }

    @Test
    void metaJsonIsReadAndTheMissingRvIsNamed() {
        Catalog catalog = new JsonCatalogReader(ROOT.resolve("meta.json")).read();
        assertThat(catalog.tables()).containsExactly(new Catalog.Table("test1w", 0, 256, 1, "", ""));
        assertThat(catalog.files()).containsExactly(new Catalog.TableFile("test1w", "1678354366132931000",
                "1678354366132931000", Catalog.FILE_RAW, 10_000));
        Path rv = SEGMENT.resolve("1678354366132931000.rv");
        assertThatThrownBy(() -> Milvus1Source.builder().jsonMeta(ROOT.resolve("meta.json")).build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_IO))
                .hasMessageContaining("segment 1678354366132931000 of collection test1w")
                .hasMessageContaining(rv + " is missing");
        assertThatThrownBy(() -> Milvus1Source.builder().directory(ROOT).jsonMeta(ROOT.resolve("meta.json")).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining(rv + " is missing");
    }
}
