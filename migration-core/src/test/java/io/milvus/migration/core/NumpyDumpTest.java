package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dump()} through the real engine writes NPY groups and a manifest that together hold every row exactly. */
class NumpyDumpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "parallelism {0}, localPath {1}")
    @CsvSource({"1, true", "3, true", "1, false", "3, false"})
    void everyRowRoundTripsBitForBit(int parallelism, boolean local) throws IOException {
        var source = new MemorySource(7, 100, 1, 250, 0, 37, 64);
        var storage = new DirStorage(tmp, local);
        MigrationReport report = Migration.builder().source(source).staging(storage).parallelism(parallelism)
                .batchBytes(10 * 36).build().dump();

        assertThat(report.rowsRead()).isEqualTo(source.rowCount());
        assertThat(report.rowsLoaded()).isZero();
        assertThat(report.collections()).containsExactly("items");
        assertThat(report.staging()).isEqualTo(storage.describe() + "/migration");
        assertThat(storage.uploads.get()).as("files are uploaded only when storage is remote")
                .isEqualTo((local ? 0 : report.stagedFiles().size()) + 1); // + manifest.json

        JsonNode entry = manifest(storage).get("collections").get(0);
        assertThat(entry.get("rows").asLong()).isEqualTo(source.rowCount());
        var keys = new ArrayList<String>();
        entry.get("groups").forEach(g -> g.get("keys").forEach(k -> keys.add(k.asText())));
        assertThat(report.stagedFiles()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(readGroups(storage, entry, 7)).isEqualTo(source.rows.size());
        assertSameRows(storage, entry, source);
        assertThat(storage.list("")).allSatisfy(k -> assertThat(k).doesNotEndWith(".inprogress"));
    }

    @Test
    void eachPartitionGetsItsOwnGroups() throws IOException {
        var source = new MemorySource(3, 40, 50, 60, 70).inPartitions("", "p1", "p 2/x");
        var storage = new DirStorage(tmp, true);
        Migration.builder().source(source).staging(storage).parallelism(2).build().dump();

        JsonNode entry = manifest(storage).get("collections").get(0);
        var idsByPartition = new java.util.HashMap<String, java.util.Set<Long>>();
        for (JsonNode group : entry.get("groups")) {
            String partition = group.get("partition").asText();
            String idKey = group.get("keys").get(0).asText();
            assertThat(idKey).as("a partition's files sit in a directory of their own")
                    .contains(partition.isEmpty() ? "/w" : "/partition-");
            for (long id : Npy.read(storage.root().resolve(idKey)).longs()) {
                idsByPartition.computeIfAbsent(partition, p -> new java.util.HashSet<>()).add(id);
            }
        }
        assertThat(idsByPartition).containsOnlyKeys("", "p1", "p 2/x");
        idsByPartition.forEach((partition, ids) -> assertThat(ids).isEqualTo(source.idsIn(partition)));
    }

    @Test
    void manifestCarriesSchemaAndGroups() throws IOException {
        var source = new MemorySource(4, 10, 20);
        var storage = new DirStorage(tmp, true);
        Migration.builder().source(source).staging(storage).stagingPrefix("/out/dump/").parallelism(1).build()
                .dump();

        assertThat(storage.exists("out/dump/manifest.json")).isTrue();
        JsonNode manifest = JSON.readTree(storage.read("out/dump/manifest.json"));
        assertThat(manifest.get("version").asInt()).isEqualTo(1);
        JsonNode schema = manifest.get("collections").get(0).get("schema");
        assertThat(schema.get("name").asText()).isEqualTo("items");
        assertThat(schema.get("description").asText()).isEqualTo("test rows");
        JsonNode id = schema.get("fields").get(0);
        JsonNode vector = schema.get("fields").get(1);
        assertThat(id.get("name").asText()).isEqualTo("id");
        assertThat(id.get("type").asText()).isEqualTo("INT64");
        assertThat(id.get("primaryKey").asBoolean()).isTrue();
        assertThat(vector.get("name").asText()).isEqualTo("vector");
        assertThat(vector.get("type").asText()).isEqualTo("FLOAT_VECTOR");
        assertThat(vector.get("dimension").asInt()).isEqualTo(4);
        assertThat(vector.get("metric").asText()).isEqualTo("L2");
        JsonNode groups = manifest.get("collections").get(0).get("groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("format").asText()).isEqualTo("NUMPY");
        assertThat(groups.get(0).get("rows").asLong()).isEqualTo(30);
        assertThat(groups.get(0).get("keys")).extracting(JsonNode::asText)
                .containsExactly("out/dump/items/w0/group-00000/id.npy", "out/dump/items/w0/group-00000/vector.npy");
        assertSameRows(storage, manifest.get("collections").get(0), source);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @CsvSource({"1", "3"})
    void smallMaxFileBytesCutsManyGroupsNoFileAboveTheLimit(int parallelism) throws IOException {
        var source = new MemorySource(8, 95, 120, 3, 77);
        long limit = 128 + 10 * 32 + 5; // NPY header + 10 vectors and a bit
        var storage = new DirStorage(tmp, true);
        Migration.builder().source(source).staging(storage).parallelism(parallelism).maxFileBytes(limit)
                .batchBytes(7 * 40).build().dump();

        JsonNode entry = manifest(storage).get("collections").get(0);
        assertThat(entry.get("groups").size()).isGreaterThanOrEqualTo(295 / 10);
        for (String key : storage.list("migration/items/")) {
            assertThat(Files.size(storage.root().resolve(key))).as(key).isLessThanOrEqualTo(limit);
        }
        assertThat(readGroups(storage, entry, 8)).isEqualTo(295);
        assertSameRows(storage, entry, source);
    }

    @Test
    void aRowLargerThanTheLimitGetsAGroupOfItsOwn() throws IOException {
        var source = new MemorySource(64, 5, 4);
        var storage = new DirStorage(tmp, true);
        Migration.builder().source(source).staging(storage).parallelism(1).maxFileBytes(100).build().dump();

        JsonNode entry = manifest(storage).get("collections").get(0);
        assertThat(entry.get("groups")).hasSize(9).allSatisfy(g -> assertThat(g.get("rows").asLong()).isEqualTo(1));
        assertSameRows(storage, entry, source);
    }

    @Test
    void aNanPayloadPassesThroughNumpyUnchanged() throws IOException {
        var source = new MemorySource(3, 2).withFirstFloat(Float.intBitsToFloat(0x7fc00001));
        var storage = new DirStorage(tmp, true);
        Migration.builder().source(source).staging(storage).build().dump();
        assertSameRows(storage, manifest(storage).get("collections").get(0), source);
    }

    @Test
    void emptySourceDumpsNoGroups() throws IOException {
        var source = new MemorySource(5);
        var storage = new DirStorage(tmp, false);
        MigrationReport report = Migration.builder().source(source).staging(storage).build().dump();

        assertThat(report.rowsRead()).isZero();
        assertThat(report.stagedFiles()).isEmpty();
        JsonNode entry = manifest(storage).get("collections").get(0);
        assertThat(entry.get("rows").asLong()).isZero();
        assertThat(entry.get("groups").isArray()).isTrue();
        assertThat(entry.get("groups")).isEmpty();
        assertThat(storage.list("")).containsExactly("migration/manifest.json");
    }

    @Test
    void splitsWithoutRowsDumpNoGroups() throws IOException {
        var source = new MemorySource(5, 0, 0, 0);
        var storage = new DirStorage(tmp, true);
        MigrationReport report = Migration.builder().source(source).staging(storage).parallelism(2).build().dump();

        assertThat(report.rowsRead()).isZero();
        assertThat(manifest(storage).get("collections").get(0).get("groups")).isEmpty();
        assertThat(storage.list("")).containsExactly("migration/manifest.json");
    }

    static JsonNode manifest(DirStorage storage) throws IOException {
        assertThat(storage.exists("migration/manifest.json")).isTrue();
        return JSON.readTree(storage.read("migration/manifest.json"));
    }

    /** Checks each group's files (shapes, row counts) and returns the rows of all groups. */
    private static long readGroups(DirStorage storage, JsonNode entry, int dimension) throws IOException {
        long total = 0;
        for (JsonNode group : entry.get("groups")) {
            List<String> keys = new ArrayList<>();
            group.get("keys").forEach(k -> keys.add(k.asText()));
            assertThat(keys).extracting(k -> k.substring(k.lastIndexOf('/') + 1)).containsExactly("id.npy",
                    "vector.npy");
            Npy ids = Npy.read(storage.root().resolve(keys.get(0)));
            Npy vectors = Npy.read(storage.root().resolve(keys.get(1)));
            assertThat(ids.rows()).isEqualTo(group.get("rows").asLong()).isPositive();
            assertThat(vectors.rows()).isEqualTo(ids.rows());
            assertThat(vectors.width()).isEqualTo(dimension);
            total += ids.rows();
        }
        return total;
    }

    /** The rows of all groups are exactly the source's rows (as a multiset), vectors bit for bit. */
    static void assertSameRows(DirStorage storage, JsonNode entry, MemorySource source) throws IOException {
        Map<Long, float[]> written = new HashMap<>();
        for (JsonNode group : entry.get("groups")) {
            long[] ids = Npy.read(storage.root().resolve(group.get("keys").get(0).asText())).longs();
            float[] vectors = Npy.read(storage.root().resolve(group.get("keys").get(1).asText())).floats();
            for (int i = 0; i < ids.length; i++) {
                float[] v = Arrays.copyOfRange(vectors, i * source.dimension, (i + 1) * source.dimension);
                assertThat(written.put(ids[i], v)).as("id %d written twice", ids[i]).isNull();
            }
        }
        assertThat(written.keySet()).isEqualTo(source.rows.keySet());
        source.rows.forEach((id, want) -> assertThat(bits(written.get(id))).as("vector of id %d", id)
                .containsExactly(bits(want)));
    }

    static int[] bits(float[] v) {
        return java.util.stream.IntStream.range(0, v.length).map(i -> Float.floatToRawIntBits(v[i])).toArray();
    }
}
