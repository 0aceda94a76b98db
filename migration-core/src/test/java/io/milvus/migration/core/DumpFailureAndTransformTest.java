package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.Transforms;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A dump that fails mid-way leaves no manifest; transforms shape the manifest schema and the file names. */
class DumpFailureAndTransformTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 3})
    void sourceFailureMidwayFailsTheDumpWithItsCode(int parallelism) {
        var source = new MemorySource(4, 50, 50, 50, 50).failing("split-2", 20,
                MemorySource.formatError("bad bytes at offset 1234"));
        var storage = new DirStorage(tmp, true);
        var e = catchThrowableOfType(MigrationException.class, () -> Migration.builder().source(source)
                .staging(storage).parallelism(parallelism).batchBytes(10 * 24).build().dump());

        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains("split-2").contains("bad bytes at offset 1234")
                .contains("memory:items");
        assertThat(storage.exists("migration/manifest.json")).isFalse();
        assertThat(storage.list("")).noneMatch(k -> k.endsWith(".inprogress") || k.endsWith("manifest.json"));
    }

    @Test
    void unexpectedExceptionBecomesInternalNamingTheSplit() {
        var source = new MemorySource(4, 30, 30).failing("split-1", 0, new IllegalStateException("boom"));
        var storage = new DirStorage(tmp, false);
        var e = catchThrowableOfType(MigrationException.class, () -> Migration.builder().source(source)
                .staging(storage).build().dump());
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.getMessage()).contains("split-1").contains("boom");
        assertThat(storage.exists("migration/manifest.json")).isFalse();
    }

    @Test
    void transformsShowInManifestAndFileNames() throws IOException {
        var source = new MemorySource(6, true, 40, 25);
        var storage = new DirStorage(tmp, true);
        MigrationReport report = Migration.builder().source(source).staging(storage).parallelism(1)
                .transform(Transforms.selectFields(List.of("id", "vector")))
                .transform(Transforms.renameFields(Map.of("id", "pk", "vector", "embedding")))
                .collectionName("renamed")
                .build().dump();

        assertThat(report.collections()).containsExactly("renamed");
        JsonNode entry = NumpyDumpTest.manifest(storage).get("collections").get(0);
        JsonNode schema = entry.get("schema");
        assertThat(schema.get("name").asText()).isEqualTo("renamed");
        assertThat(schema.get("fields")).extracting(f -> f.get("name").asText()).containsExactly("pk", "embedding");
        assertThat(schema.get("fields").get(0).get("primaryKey").asBoolean()).isTrue();
        assertThat(schema.get("fields").get(1).get("dimension").asInt()).isEqualTo(6);
        assertThat(report.stagedFiles()).isNotEmpty().allSatisfy(k -> assertThat(k)
                .startsWith("migration/renamed/").matches(".*/(pk|embedding)\\.npy"));
        assertThat(storage.list("migration/items")).isEmpty();
        NumpyDumpTest.assertSameRows(storage, entry, source);
    }

    @Test
    void renamingAMissingFieldIsAConfigError() {
        var storage = new DirStorage(tmp, true);
        var e = catchThrowableOfType(MigrationException.class, () -> Migration.builder()
                .source(new MemorySource(4, 10)).staging(storage)
                .transform(Transforms.renameFields(Map.of("nope", "x"))).build().dump());
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage()).contains("nope");
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void selectingAwayThePrimaryKeyIsAConfigError() {
        var e = catchThrowableOfType(MigrationException.class, () -> Migration.builder()
                .source(new MemorySource(4, true, 10)).staging(new DirStorage(tmp, true))
                .transform(Transforms.selectFields(List.of("vector", "extra"))).build().dump());
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage()).contains("id");
    }
}
