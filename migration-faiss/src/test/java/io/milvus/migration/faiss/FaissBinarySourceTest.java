package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source.SourceCollection;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.storage.LocalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Faiss binary indexes (IB.. codes) read as BINARY_VECTOR rows, byte for byte what Faiss reconstructs. */
class FaissBinarySourceTest {
    private static final List<String> BINARY = List.of("bin_flat_64", "bin_flat_136", "bin_empty_flat",
            "bin_ivf_64", "bin_ivf_136_directmap", "bin_ivf_ids", "bin_idmap_flat", "bin_idmap2_ivf", "bin_hnsw");

    @TempDir
    Path tmp;

    static Stream<Arguments> binaryWithSplitSizes() throws IOException {
        List<FaissSourceReadTest.Fixture> binary = FaissSourceReadTest.fixtures().stream()
                .filter(f -> f.type().startsWith("IB")).toList();
        assertThat(binary).extracting(FaissSourceReadTest.Fixture::name).containsExactlyInAnyOrderElementsOf(BINARY);
        return binary.stream().flatMap(f -> Stream.of(FaissInput.values()).flatMap(input -> Stream.of(
                Arguments.of(f, 64L << 20, 1000, input), Arguments.of(f, 200L, 7, input),
                Arguments.of(f, 1L, 3, input), Arguments.of(f, 1L, 1, input))));
    }

    @ParameterizedTest(name = "{0} splitBytes={1} maxRows={2} {3}")
    @MethodSource("binaryWithSplitSizes")
    void readsEveryRowExactlyOnceWithFaissBytes(FaissSourceReadTest.Fixture fx, long splitBytes, int maxRows,
                                                FaissInput input) {
        Map<Long, byte[]> expected = FaissFixtures.expectedBinary(fx.name());
        try (FaissSource source = input.builder(FaissFixtures.index(fx.name())).splitBytes(splitBytes).build()) {
            assertThat(source.indexType()).isEqualTo(fx.type());
            SourceCollection collection = source.collections().get(0);
            assertThat(collection.estimatedRows()).isEqualTo(fx.n()).isEqualTo(expected.size());
            FieldSchema id = collection.schema().fields().get(0);
            FieldSchema vector = collection.schema().fields().get(1);
            assertThat(id).isEqualTo(FieldSchema.int64Key("id"));
            assertThat(vector.name()).isEqualTo("vector");
            assertThat(vector.type()).isEqualTo(DataType.BINARY_VECTOR);
            assertThat(vector.dimension()).isEqualTo(fx.dim());
            assertThat(vector.metric()).isEqualTo(MetricType.HAMMING);

            List<Split> splits = source.splits(collection);
            assertThat(splits).extracting(Split::id).doesNotHaveDuplicates();
            assertThat(splits.stream().mapToLong(Split::estimatedRows).sum()).isEqualTo(fx.n());
            if (splitBytes == 1 && fx.n() > 0) {
                assertThat(splits).as("a tiny splitBytes cuts many splits").hasSizeGreaterThan(3);
            }
            if (fx.n() == 0) {
                assertThat(splits).isEmpty();
            }

            Map<Long, byte[]> read = new LinkedHashMap<>();
            for (Split split : splits) {
                long rowsOfSplit = 0;
                try (SplitReader reader = source.open(split)) {
                    Optional<Batch> batch;
                    while ((batch = reader.next(maxRows)).isPresent()) {
                        Batch b = batch.get();
                        assertThat(b.rowCount()).isBetween(1, maxRows);
                        rowsOfSplit += b.rowCount();
                        assertThat(b.position()).extracting(p -> p.splitId(), p -> p.rowsRead())
                                .containsExactly(split.id(), rowsOfSplit);
                        long[] ids = ((Column.Longs) b.column("id")).values();
                        Column.BinaryVectors codes = (Column.BinaryVectors) b.column("vector");
                        assertThat(codes.dimension()).isEqualTo(fx.dim());
                        int width = fx.dim() / 8;
                        for (int i = 0; i < ids.length; i++) {
                            byte[] v = Arrays.copyOfRange(codes.values(), i * width, (i + 1) * width);
                            assertThat(read.put(ids[i], v)).as("id %d read twice", ids[i]).isNull();
                        }
                    }
                    assertThat(reader.next(maxRows)).as("an exhausted reader stays exhausted").isEmpty();
                }
                assertThat(rowsOfSplit).isEqualTo(split.estimatedRows());
            }

            assertThat(read.keySet()).isEqualTo(expected.keySet());
            var wrong = new TreeSet<Long>();
            read.forEach((k, v) -> {
                if (!Arrays.equals(v, expected.get(k))) {
                    wrong.add(k);
                }
            });
            assertThat(wrong).as("ids whose codes differ from Faiss's").isEmpty();
            if (splits.size() == 1) {
                assertThat(new ArrayList<>(read.keySet())).as("a single split reads in storage order")
                        .isEqualTo(new ArrayList<>(expected.keySet()));
            }
        }
    }

    @Test
    void fixturesHaveTheShapesTheyClaim() {
        assertThat(FaissFixtures.expectedBinary("bin_flat_136").values()).allSatisfy(v -> assertThat(v).hasSize(17));
        assertThat(FaissFixtures.expectedBinary("bin_idmap_flat").keySet()).allSatisfy(id ->
                assertThat(id).isGreaterThanOrEqualTo(1L << 33));
        assertThat(FaissFixtures.expectedBinary("bin_idmap2_ivf").keySet()).allSatisfy(id ->
                assertThat(id).isGreaterThanOrEqualTo(1L << 33));
        assertThat(FaissFixtures.expectedBinary("bin_empty_flat")).isEmpty();
    }

    @Test
    void ivfFixtureHasAnEmptyList() throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index("bin_ivf_64"));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int ilar = indexOf(bytes, "ilar");
        assertThat(new String(bytes, ilar + 20, 4, StandardCharsets.US_ASCII)).isEqualTo("full");
        long nlist = b.getLong(ilar + 24);
        assertThat(nlist).isEqualTo(16);
        boolean empty = false;
        for (int i = 0; i < nlist; i++) {
            empty |= b.getLong(ilar + 32 + 8 * i) == 0;
        }
        assertThat(empty).as("bin_ivf_64 has an empty inverted list").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin_flat_136", "bin_ivf_64", "bin_hnsw"})
    void jaccardWhenChosen(String name) {
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index(name))
                .binaryMetric(MetricType.JACCARD).idField("pk").vectorField("bits").build()) {
            FieldSchema vector = source.collections().get(0).schema().field("bits").orElseThrow();
            assertThat(vector.type()).isEqualTo(DataType.BINARY_VECTOR);
            assertThat(vector.metric()).isEqualTo(MetricType.JACCARD);
            assertThat(source.collections().get(0).schema().primaryKey().name()).isEqualTo("pk");
        }
    }

    @Test
    void binaryMetricMustBeABinaryMetric() {
        for (MetricType m : new MetricType[] {MetricType.L2, MetricType.IP, MetricType.COSINE}) {
            var e = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder().binaryMetric(m));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
            assertThat(e.getMessage()).contains(m.name());
        }
    }

    @Test
    void floatIndexesIgnoreTheBinaryMetric() {
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index("flat_l2"))
                .binaryMetric(MetricType.JACCARD).build()) {
            FieldSchema vector = source.collections().get(0).schema().fields().get(1);
            assertThat(vector.type()).isEqualTo(DataType.FLOAT_VECTOR);
            assertThat(vector.metric()).isEqualTo(MetricType.L2);
        }
    }

    @Test
    void wrongConfiguredDimensionNamesBoth() {
        var e = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder()
                .file(FaissFixtures.index("bin_flat_136")).dimension(128).build());
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage()).contains("128").contains("136");
        try (FaissSource ok = FaissSource.builder().file(FaissFixtures.index("bin_flat_136")).dimension(136).build()) {
            assertThat(ok.collections().get(0).schema().fields().get(1).dimension()).isEqualTo(136);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin_flat_64", "bin_flat_136", "bin_ivf_64", "bin_ivf_136_directmap", "bin_ivf_ids",
        "bin_idmap_flat", "bin_idmap2_ivf", "bin_hnsw", "bin_empty_flat"})
    void everyTruncationIsAFormatError(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index(name));
        var cuts = new TreeSet<Integer>();
        for (int i = 0; i < Math.min(200, bytes.length); i++) {
            cuts.add(i);
        }
        for (int i = 1; i < 64; i++) {
            cuts.add((int) ((long) bytes.length * i / 64));
        }
        cuts.add(bytes.length - 8);
        cuts.add(bytes.length - 1);
        cuts.remove(bytes.length);
        Path file = tmp.resolve(name + "-truncated.index");
        for (int cut : cuts) {
            Files.write(file, Arrays.copyOf(bytes, cut));
            MigrationException e = failure(file);
            assertThat(e.code()).as("truncated at %d: %s", cut, e.getMessage()).isEqualTo(ErrorCode.SOURCE_FORMAT);
            assertThat(e.getMessage()).contains(file.toString()).containsPattern("at offset \\d+");
        }
    }

    static Stream<Arguments> corruptFields() throws IOException {
        // binary header: fourcc(4) d(4) code_size(4) ntotal(8) is_trained(1) metric(4); flat code count at 25
        var cases = Stream.<Arguments>builder();
        long ivfSize = Files.size(FaissFixtures.index("bin_idmap2_ivf"));
        for (long huge : new long[] {Long.MAX_VALUE, 1L << 40, -1L, Long.MIN_VALUE, 1L << 61}) {
            cases.add(Arguments.of("bin_flat_64", 12, huge, "ntotal"));
            cases.add(Arguments.of("bin_flat_64", 25, huge, "code bytes"));
            cases.add(Arguments.of("bin_ivf_64", 12, huge, "IVF ntotal"));
            cases.add(Arguments.of("bin_ivf_64", 25, huge, "nlist"));
            cases.add(Arguments.of("bin_hnsw", 25, huge, "HNSW assign_probas size"));
            cases.add(Arguments.of("bin_idmap2_ivf", ivfSize - 500 * 8 - 8, huge, "ID map size"));
        }
        // d 65 (not a multiple of 8) and a code size that does not match d
        cases.add(Arguments.of("bin_flat_64", 4, 65L | (8L << 32), "dimension 65"));
        cases.add(Arguments.of("bin_flat_64", 4, 64L | (9L << 32), "code size 9"));
        return cases.build();
    }

    @ParameterizedTest(name = "{0}: {3} = {2}")
    @MethodSource("corruptFields")
    void corruptFieldsAreFormatErrors(String name, long offset, long value, String what) throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index(name));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) offset, value);
        Path file = tmp.resolve(name + "-corrupt.index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains(file.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IBFf", "IBHh", "IBHm", "IBHc"})
    void otherBinaryTypesAreUnsupportedAndNameTheirCode(String code) throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index("bin_flat_64"));
        System.arraycopy(code.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        Path file = tmp.resolve(code + ".index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThat(e.getMessage()).contains(code).contains(file.toString());
    }

    @Test
    void hnswWithNonFlatStorageIsUnsupported() throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index("bin_hnsw"));
        int storage = indexOf(bytes, "IBxF");
        System.arraycopy("IBHh".getBytes(StandardCharsets.US_ASCII), 0, bytes, storage, 4);
        Path file = tmp.resolve("hnsw-hash.index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThat(e.getMessage()).contains("IBHh").contains("offset " + storage);
    }

    /**
     * Faiss 1.7.x leaves the code size of a binary ID map's own header at 0 (today's Faiss writes d / 8); both read,
     * as the other tests show on the fixtures of both releases. This checks that the fixtures hold that difference.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bin_idmap_flat", "bin_idmap2_ivf"})
    void binaryIdMapHeaderCodeSizeIsTheOneItsFaissWrites(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(FaissFixtures.index(name))).order(ByteOrder.LITTLE_ENDIAN);
        int dimension = b.getInt(4);
        assertThat(b.getInt(8)).as("code size in the IBMp/IBM2 header, Faiss %s", FaissFixtures.version())
                .isEqualTo(FaissFixtures.olderFaiss() ? 0 : dimension / 8);
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index(name)).build()) {
            assertThat(source.collections().get(0).schema().fields().get(1).dimension()).isEqualTo(dimension);
        }
    }

    /** The core writes binary vectors as NumPy {@code |u1} arrays of shape (n, dim/8), byte for byte. */
    @ParameterizedTest
    @ValueSource(strings = {"bin_flat_136", "bin_idmap2_ivf"})
    void dumpWritesBinaryVectorsAsUint8Npy(String name) throws IOException {
        Map<Long, byte[]> expected = FaissFixtures.expectedBinary(name);
        int width = FaissFixtures.expectedBinary(name).values().iterator().next().length;
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index(name)).splitBytes(2000).build()) {
            MigrationReport report = Migration.builder().source(source).staging(LocalStorage.at(staging))
                    .parallelism(2).batchBytes(50 * 25).maxFileBytes(4096).build().dump();
            assertThat(report.rowsRead()).isEqualTo(expected.size());
        }
        List<Path> vectorFiles;
        try (Stream<Path> files = Files.walk(staging)) {
            vectorFiles = files.filter(p -> p.getFileName().toString().equals("vector.npy")).sorted().toList();
        }
        assertThat(vectorFiles).as("several groups (maxFileBytes is small)").hasSizeGreaterThan(1);
        Map<Long, byte[]> read = new HashMap<>();
        for (Path vectorFile : vectorFiles) {
            Npy ids = Npy.read(vectorFile.resolveSibling("id.npy"));
            Npy codes = Npy.read(vectorFile);
            assertThat(ids.descr).isEqualTo("<i8");
            assertThat(codes.descr).isEqualTo("|u1");
            assertThat(codes.shape).isEqualTo("(" + ids.rows + ", " + width + ")");
            assertThat(codes.data.remaining()).isEqualTo(ids.rows * width);
            ByteBuffer idData = ids.data.order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < ids.rows; i++) {
                byte[] v = new byte[width];
                codes.data.get(v);
                assertThat(read.put(idData.getLong(), v)).isNull();
            }
        }
        assertThat(read.keySet()).isEqualTo(expected.keySet());
        read.forEach((k, v) -> assertThat(v).as("id %d", k).isEqualTo(expected.get(k)));
    }

    /** A minimal NPY 1.0 reader: descr, shape text, row count and the data after the header. */
    record Npy(String descr, String shape, long rows, ByteBuffer data) {
        private static final Pattern HEADER = Pattern.compile(
                "\\{'descr': '([^']+)', 'fortran_order': False, 'shape': (\\((\\d+),[^)]*\\)), \\} *\n");

        static Npy read(Path file) throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            assertThat(Arrays.copyOf(bytes, 8)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
            int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
            Matcher m = HEADER.matcher(header);
            assertThat(m.matches()).as("%s header %s", file, header).isTrue();
            return new Npy(m.group(1), m.group(2), Long.parseLong(m.group(3)),
                    ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength).slice());
        }
    }

    private static MigrationException failure(Path file) {
        return FaissFailures.failure(file, 512);
    }

    private static int indexOf(byte[] bytes, String ascii) {
        return FaissFailures.indexOf(bytes, ascii);
    }
}
