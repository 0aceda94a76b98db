package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.storage.LocalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flat and IVF_FLAT files (and binary ones) hand their vectors out as {@link Column.StoredVectors} when allowed:
 * runs of the file that the NumPy writer copies channel to channel. Whatever way they are consumed (materialized,
 * sliced, written), they are Faiss's own bits; coded indexes decline.
 */
class FaissStoredVectorsTest {
    /** Fixtures whose codes are the vectors: float32 rows, or binary codes. */
    private static final List<String> RAW = List.of("flat_l2", "flat_ip", "ivfflat_l2", "ivfflat_ip", "idmap_flat",
            "idmap2_flat_ip", "idmap_ivfflat", "ivfflat_ids", "ivfflat_sparse", "ivfflat_directmap_array",
            "ivfflat_directmap_hash", "empty_flat", "empty_ivfflat", "hnsw_flat", "bin_flat_64", "bin_ivf_64",
            "bin_idmap_flat", "bin_idmap2_ivf", "bin_hnsw", "refine_flat_pq", "refine_sq_ip");

    @TempDir
    Path tmp;

    static Stream<Arguments> rawFixtures() {
        return RAW.stream().flatMap(f -> Stream.of(FaissInput.values()).map(input -> Arguments.of(f, input)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rawFixtures")
    void storedVectorsMaterializeAndSliceToFaissBits(String name, FaissInput input) throws IOException {
        Map<Long, byte[]> expected = expectedBytes(name);
        Map<Long, byte[]> read = new HashMap<>();
        try (FaissSource source = input.builder(FaissFixtures.index(name)).splitBytes(3000).build()) {
            for (Split split : source.splits(source.collections().get(0))) {
                try (SplitReader reader = source.open(split)) {
                    assertThat(reader.allowStoredVectors()).isTrue();
                    Optional<Batch> next;
                    while ((next = reader.next(7)).isPresent()) {
                        long[] ids = ((Column.Longs) next.get().column("id")).values();
                        var stored = (Column.StoredVectors) next.get().column("vector");
                        assertThat(stored.rowCount()).isEqualTo(ids.length);
                        byte[] all = bytes(stored.materialize());
                        int width = stored.rowBytes();
                        for (int i = 0; i < ids.length; i++) {
                            assertThat(read.put(ids[i], Arrays.copyOfRange(all, i * width, (i + 1) * width)))
                                    .isNull();
                        }
                        if (ids.length >= 4) { // a slice is a view of the same bytes
                            assertThat(bytes(stored.slice(1, 4).materialize()))
                                    .isEqualTo(Arrays.copyOfRange(all, width, 4 * width));
                        }
                    }
                }
            }
        }
        assertThat(read.keySet()).isEqualTo(expected.keySet());
        read.forEach((id, v) -> assertThat(v).as("id %d", id).isEqualTo(expected.get(id)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sq_8bit", "pq_8bit", "ivfpq_residual", "ivfsq8_residual", "hnsw_sq8", "pq_6bit_ip"})
    void codedIndexesDecodeInstead(String name) {
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index(name)).build();
             SplitReader reader = source.open(source.splits(source.collections().get(0)).get(0))) {
            assertThat(reader.allowStoredVectors()).isFalse();
            assertThat(reader.next(5).orElseThrow().column("vector")).isInstanceOf(Column.FloatVectors.class);
        }
    }

    static Stream<Arguments> dumps() {
        return Stream.of("flat_l2", "ivfflat_l2", "idmap_ivfflat", "ivfflat_sparse").flatMap(f -> Stream.of(
                FaissInput.values()).flatMap(input -> Stream.of(Arguments.of(f, input, false),
                Arguments.of(f, input, true))));
    }

    /**
     * A dump copies stored vectors into {@code vector.npy}, cut into groups mid-batch by a small file limit; a
     * transform that looks at values gets decoded floats instead. Both give Faiss's bits, group by group.
     */
    @ParameterizedTest(name = "{0} {1} decoding transform {2}")
    @MethodSource("dumps")
    void dumpWritesFaissBitsEitherWay(String name, FaissInput input, boolean decodingTransform) throws IOException {
        Map<Long, byte[]> expected = expectedBytes(name);
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        var b = Migration.builder().staging(LocalStorage.at(staging)).parallelism(2).batchBytes(40L * 25)
                .maxFileBytes(6000);
        if (decodingTransform) {
            b.transform(new Transform() { // passes values on, but does not say it only passes columns through
                @Override
                public io.milvus.migration.spi.CollectionSchema apply(io.milvus.migration.spi.CollectionSchema s) {
                    return s;
                }

                @Override
                public Batch apply(Batch batch) {
                    assertThat(batch.column("vector")).isInstanceOf(Column.FloatVectors.class);
                    return batch;
                }
            });
        }
        try (FaissSource source = input.builder(FaissFixtures.index(name)).splitBytes(5000).build()) {
            MigrationReport report = b.source(source).build().dump();
            assertThat(report.rowsRead()).isEqualTo(expected.size());
        }
        List<Path> vectorFiles;
        try (Stream<Path> files = Files.walk(staging)) {
            vectorFiles = files.filter(p -> p.getFileName().toString().equals("vector.npy")).sorted().toList();
        }
        assertThat(vectorFiles).as("several groups (maxFileBytes is small)").hasSizeGreaterThan(2);
        Map<Long, byte[]> read = new HashMap<>();
        int width = expected.values().iterator().next().length;
        for (Path vectorFile : vectorFiles) {
            var ids = FaissBinarySourceTest.Npy.read(vectorFile.resolveSibling("id.npy"));
            var vectors = FaissBinarySourceTest.Npy.read(vectorFile);
            assertThat(vectors.descr()).isEqualTo("<f4");
            assertThat(vectors.shape()).isEqualTo("(" + ids.rows() + ", " + width / 4 + ")");
            assertThat(vectors.data().remaining()).isEqualTo(ids.rows() * width);
            ByteBuffer idData = ids.data().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < ids.rows(); i++) {
                byte[] v = new byte[width];
                vectors.data().get(v);
                assertThat(read.put(idData.getLong(), v)).isNull();
            }
        }
        assertThat(read.keySet()).isEqualTo(expected.keySet());
        read.forEach((id, v) -> assertThat(v).as("id %d", id).isEqualTo(expected.get(id)));
    }

    /** Faiss's vectors of a fixture as little-endian bytes, by id. */
    private static Map<Long, byte[]> expectedBytes(String name) {
        if (name.startsWith("bin_")) {
            return FaissFixtures.expectedBinary(name);
        }
        var out = new HashMap<Long, byte[]>();
        FaissFixtures.expected(name).rows().forEach((id, v) -> {
            ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
            out.put(id, buf.array());
        });
        return out;
    }

    private static byte[] bytes(Column column) {
        if (column instanceof Column.BinaryVectors b) {
            return b.values();
        }
        float[] v = ((Column.FloatVectors) column).values();
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        return buf.array();
    }
}
