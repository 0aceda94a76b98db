package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.MetricType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The old tool's meta.json over built segment files. */
class Milvus1JsonMetaTest {
    @TempDir
    Path dir;

    @Test
    void readsSegmentsListedInMetaJson() throws Exception {
        var fx = new Milvus1Fixture(dir);
        fx.table("docs", Milvus1Fixture.NORMAL, 8, Milvus1Fixture.IP, "", "");
        fx.segment("docs", "11", Milvus1Fixture.RAW, 1, 20, new int[] {0, 19}, "docs", "");
        fx.segment("docs", "12", Milvus1Fixture.RAW, 100, 5, new int[] {}, "docs", "");
        Path meta = dir.resolve("db/meta.json");
        Files.writeString(meta, """
                {"collections":[{"collection":"docs","metric":2,"rows":23,"dim":8,"segments":[
                  {"collection":"docs","segment":"11","dim":8,"rows":18,"fileSize":800},
                  {"collection":"docs","segment":"12","dim":8,"rows":5,"fileSize":200}]}],"rows":23}
                """);
        try (var s = Milvus1Source.builder().jsonMeta(meta).build()) {
            assertThat(s.collections().get(0).schema().field("vector").orElseThrow().metric())
                    .isEqualTo(MetricType.IP);
            var got = SourceRows.readAll(s, 6).get("docs").get("");
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(fx.expectedRows("docs").keySet());
            fx.expectedRows("docs").forEach((id, v) -> assertThat(got.get(id)).isEqualTo(v));
            assertThat(got).doesNotContainKeys(1L, 20L);
        }
        Files.writeString(meta, "{\"collections\":[{\"collection\":\"docs\",\"metric\":2,\"dim\":8,\"segments\":"
                + "[{\"segment\":\"11\",\"rows\":20}]}]}");
        assertThatThrownBy(() -> Milvus1Source.builder().jsonMeta(meta).build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("segment 11 of collection docs")
                .hasMessageContaining("catalogue says 20 live rows");
    }

    @Test
    void malformedMetaJson() throws Exception {
        Path meta = dir.resolve("meta.json");
        Files.writeString(meta, "{\"collections\":[{\"collection\":\"docs\",\"metric\":2,");
        assertThatThrownBy(() -> new JsonCatalogReader(meta).read()).isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_FORMAT))
                .hasMessageContaining(meta.toString()).hasMessageContaining("not valid JSON");
        Files.writeString(meta, "{\"collections\":[{\"collection\":\"docs\",\"metric\":\"L2\",\"dim\":8}]}");
        assertThatThrownBy(() -> new JsonCatalogReader(meta).read()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("collections[0].metric must be an integer");
        assertThatThrownBy(() -> new JsonCatalogReader(dir.resolve("none.json")).read())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_IO));
    }
}
