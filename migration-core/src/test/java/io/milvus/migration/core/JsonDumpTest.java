package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code dump()} in {@link BulkFormat#JSON}: one {@code rows.json} per group, floats exact as text. */
class JsonDumpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 3})
    void rowsRoundTripWithExactFloats(int parallelism) throws IOException {
        var source = new MemorySource(5, true, 300, 1, 0, 42);
        var storage = new DirStorage(tmp, false);
        Migration.builder().source(source).staging(storage).bulkFormat(BulkFormat.JSON).parallelism(parallelism)
                .batchBytes(100).build().dump();

        JsonNode entry = NumpyDumpTest.manifest(storage).get("collections").get(0);
        Map<Long, float[]> written = new HashMap<>();
        long groupRows = 0;
        for (JsonNode group : entry.get("groups")) {
            assertThat(group.get("format").asText()).isEqualTo("JSON");
            assertThat(group.get("keys")).hasSize(1);
            String key = group.get("keys").get(0).asText();
            assertThat(key).endsWith("/rows.json");
            List<Row> rows = rows(storage.root().resolve(key));
            assertThat(rows).hasSize(group.get("rows").asInt());
            groupRows += rows.size();
            for (Row row : rows) {
                assertThat(row.extra()).isEqualTo(row.id() + 1);
                assertThat(written.put(row.id(), row.vector())).as("id %d written twice", row.id()).isNull();
            }
        }
        assertThat(groupRows).isEqualTo(entry.get("rows").asLong()).isEqualTo(source.rowCount());
        assertThat(written.keySet()).isEqualTo(source.rows.keySet());
        source.rows.forEach((id, want) -> assertThat(NumpyDumpTest.bits(written.get(id))).as("vector of id %d", id)
                .containsExactly(NumpyDumpTest.bits(want)));
    }

    @Test
    void maxFileBytesBoundsJsonFiles() throws IOException {
        var source = new MemorySource(16, 700, 300);
        var storage = new DirStorage(tmp, true);
        long limit = 20_000;
        Migration.builder().source(source).staging(storage).bulkFormat(BulkFormat.JSON).parallelism(1)
                .maxFileBytes(limit).build().dump();

        JsonNode groups = NumpyDumpTest.manifest(storage).get("collections").get(0).get("groups");
        assertThat(groups.size()).isGreaterThan(1);
        long rows = 0;
        for (int i = 0; i < groups.size(); i++) {
            Path file = storage.root().resolve(groups.get(i).get("keys").get(0).asText());
            assertThat(Files.size(file)).as(file.toString()).isLessThanOrEqualTo(limit);
            if (i < groups.size() - 1) {
                assertThat(Files.size(file)).as("%s is filled close to the limit", file).isGreaterThan(limit * 9 / 10);
            }
            rows += rows(file).size();
        }
        assertThat(rows).isEqualTo(1000);
    }

    @Test
    void nanCannotBeWrittenAsJson() {
        var source = new MemorySource(3, 10).withFirstFloat(Float.NaN);
        var storage = new DirStorage(tmp, true);
        var e = catchThrowableOfType(MigrationException.class, () -> Migration.builder().source(source)
                .staging(storage).bulkFormat(BulkFormat.JSON).build().dump());
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains("NaN").contains("split-0");
        assertThat(storage.exists("migration/manifest.json")).isFalse();
    }

    record Row(long id, long extra, float[] vector) {
    }

    /**
     * Parses {@code {"rows":[...]}} with Jackson; vector elements are taken as the written text and parsed with
     * {@link Float#parseFloat}, so that the test sees exactly what Milvus reads.
     */
    private static List<Row> rows(Path file) throws IOException {
        JsonNode tree = JSON.readTree(file.toFile());
        assertThat(tree.fieldNames()).toIterable().containsExactly("rows");
        var rows = new ArrayList<Row>();
        List<List<String>> floatTexts = new ArrayList<>();
        try (JsonParser p = JSON.getFactory().createParser(file.toFile())) {
            List<String> current = null;
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.START_ARRAY && "vector".equals(p.currentName())) {
                    current = new ArrayList<>();
                    floatTexts.add(current);
                } else if (t == JsonToken.END_ARRAY) {
                    current = null;
                } else if (current != null) {
                    assertThat(t).isIn(JsonToken.VALUE_NUMBER_FLOAT, JsonToken.VALUE_NUMBER_INT);
                    current.add(p.getText());
                }
            }
        }
        JsonNode array = tree.get("rows");
        assertThat(floatTexts).hasSize(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode row = array.get(i);
            assertThat(row.get("id").isIntegralNumber()).isTrue();
            List<String> texts = floatTexts.get(i);
            float[] v = new float[texts.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = Float.parseFloat(texts.get(j));
            }
            rows.add(new Row(row.get("id").asLong(), row.has("extra") ? row.get("extra").asLong() : row.get("id")
                    .asLong() + 1, v));
        }
        return rows;
    }
}
