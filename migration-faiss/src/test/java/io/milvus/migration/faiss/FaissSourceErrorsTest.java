package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Unsupported, corrupt, truncated, missing and mis-configured files fail with a typed error naming the file. */
class FaissSourceErrorsTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void preTransformIsUnsupportedAndSaysWhatToDo() {
        Path file = FaissFixtures.index("unsupported_pretransform");
        MigrationException e = failure(file);
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThat(e.getMessage()).contains("IxPT").contains(file.toString()).contains("reconstruct_n");
    }

    @Test
    void onDiskInvertedListsAreUnsupported() throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index("ivfpq_residual"));
        System.arraycopy("ilod".getBytes(StandardCharsets.US_ASCII), 0, bytes, indexOf(bytes, "ilar"), 4);
        Path file = tmp.resolve("ondisk.index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThat(e.getMessage()).contains("ilod").contains(file.toString()).contains("merge");
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 12, 20})
    void scalarQuantizerTypesWithoutDecoderAreUnsupported(int qtype) throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index("sq_8bit"));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(37, qtype); // qtype follows the header
        Path file = tmp.resolve("sq-type-" + qtype + ".index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThat(e.getMessage()).contains(file.toString()).contains("scalar quantizer type " + qtype);
    }

    @Test
    void metricWithoutMilvusCounterpartNeedsAnExplicitMetric() {
        Path file = FaissFixtures.index("flat_l1");
        MigrationException e = failure(file);
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThat(e.getMessage()).contains(file.toString()).contains("METRIC_L1").contains("metric(");
        try (FaissSource ok = FaissSource.builder().file(file).metric(MetricType.IP).build()) {
            assertThat(ok.collections().get(0).schema().fields().get(1).metric()).isEqualTo(MetricType.IP);
        }
        MigrationException lp = failure(FaissFixtures.index("flat_lp3"));
        assertThat(lp.getMessage()).contains("METRIC_Lp (p = 3.0)");
    }

    @Test
    void explicitMetricOverridesTheFilesMetric() {
        try (FaissSource source = FaissSource.builder().file(FaissFixtures.index("ivfpq_residual"))
                .metric(MetricType.COSINE).build()) {
            assertThat(source.collections().get(0).schema().fields().get(1).metric()).isEqualTo(MetricType.COSINE);
        }
        var e = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder().metric(MetricType.HAMMING));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"idmap_flat", "idmap_ivfpq", "idmap_sq8", "bin_idmap_flat", "bin_idmap2_ivf"})
    void duplicateIdsInAnIdMapAreAFormatError(String name) throws IOException {
        Path original = FaissFixtures.index(name);
        long rows = name.startsWith("bin_") ? FaissFixtures.expectedBinary(name).size()
                : FaissFixtures.expected(name).rows().size();
        byte[] bytes = Files.readAllBytes(original);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int ids = (int) (bytes.length - rows * Long.BYTES); // the ID map's ids end the file
        long id = b.getLong(ids + 3 * Long.BYTES);
        b.putLong(ids + 7 * Long.BYTES, id);
        b.putLong(ids + 100 * Long.BYTES, id);
        Path file = tmp.resolve(name + "-dup.index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains(file.toString()).contains("id " + id).contains("2 duplicate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"flat_l2", "ivfflat_l2", "idmap_ivfflat", "ivfflat_sparse", "hnsw_flat", "hnsw_sq8",
        "hnsw_pq", "sq_8bit", "sq_6bit_odd", "pq_6bit_ip", "ivfsq8_residual", "ivfpq_residual", "idmap_ivfpq",
        "refine_flat_pq", "empty_sq8"})
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
        Path file = tmp.resolve(name + "-truncated.index");
        for (int cut : cuts) {
            Files.write(file, Arrays.copyOf(bytes, cut));
            MigrationException e = failure(file);
            assertThat(e.code()).as("truncated at %d: %s", cut, e.getMessage()).isEqualTo(ErrorCode.SOURCE_FORMAT);
            assertThat(e.getMessage()).contains(file.toString());
        }
    }

    static Stream<Arguments> hugeLengthFields() throws IOException {
        byte[] ivf = Files.readAllBytes(FaissFixtures.index("ivfflat_l2"));
        int ilar = indexOf(ivf, "ilar");
        assertThat(new String(ivf, ilar + 20, 4, StandardCharsets.US_ASCII)).isEqualTo("full");
        byte[] sparse = Files.readAllBytes(FaissFixtures.index("ivfflat_sparse"));
        int sprs = indexOf(sparse, "ilar") + 20;
        assertThat(new String(sparse, sprs, 4, StandardCharsets.US_ASCII)).isEqualTo("sprs");
        // IVF header: fourcc(4) d(4) ntotal(8) dummy(8) dummy(8) is_trained(1) metric(4), then nlist at 37
        var cases = Stream.<Arguments>builder();
        for (long huge : new long[] {Long.MAX_VALUE, 1L << 40, -1L, Long.MIN_VALUE}) {
            cases.add(Arguments.of("flat_l2", 8, huge, "ntotal"));
            cases.add(Arguments.of("flat_l2", 37, huge, "vector size"));
            cases.add(Arguments.of("ivfflat_l2", 8, huge, "ntotal"));
            cases.add(Arguments.of("ivfflat_l2", 37, huge, "nlist"));
            cases.add(Arguments.of("ivfflat_l2", ilar + 4, huge, "inverted lists nlist"));
            cases.add(Arguments.of("ivfflat_l2", ilar + 12, huge, "code size"));
            cases.add(Arguments.of("ivfflat_l2", ilar + 24, huge, "list sizes count"));
            cases.add(Arguments.of("ivfflat_l2", ilar + 32, huge, "size of list 0"));
            cases.add(Arguments.of("ivfflat_l2", ilar + 32 + 8 * 15, huge, "size of list 15"));
            cases.add(Arguments.of("ivfflat_sparse", sprs + 4, huge, "sparse sizes count"));
            cases.add(Arguments.of("ivfflat_sparse", sprs + 12, huge, "first sparse list number"));
            cases.add(Arguments.of("ivfflat_sparse", sprs + 20, huge, "first sparse list size"));
            cases.add(Arguments.of("idmap_ivfflat", 8, huge, "ID map ntotal"));
            cases.add(Arguments.of("idmap_ivfflat", 37 + 8, huge, "inner ntotal"));
            cases.add(Arguments.of("idmap_ivfflat", Files.size(FaissFixtures.index("idmap_ivfflat")) - 1500 * 8 - 8,
                    huge, "ID map size"));
        }
        // coded indexes: IndexScalarQuantizer dim 13 (header 37 bytes, then qtype, rangestat, rangestat_arg)
        byte[] pq = Files.readAllBytes(FaissFixtures.index("ivfpq_residual"));
        int pqCentroids = indexOf(pq, "ilar") - 24 * 256 * Float.BYTES - 8; // dim 24, nbits 8
        byte[] hnsw = Files.readAllBytes(FaissFixtures.index("hnsw_flat"));
        ByteBuffer h = ByteBuffer.wrap(hnsw).order(ByteOrder.LITTLE_ENDIAN);
        int cum = 45 + 8 * (int) h.getLong(37);
        int levels = cum + 8 + 4 * (int) h.getLong(cum);
        int offsets = levels + 8 + 4 * 300;
        int neighbors = offsets + 8 + 8 * (int) h.getLong(offsets);
        for (long huge : new long[] {Long.MAX_VALUE, 1L << 40, -1L, Long.MIN_VALUE}) {
            cases.add(Arguments.of("sq_8bit", 8, huge, "ntotal"));
            cases.add(Arguments.of("sq_8bit", 49, huge, "scalar quantizer dimension"));
            cases.add(Arguments.of("sq_8bit", 57, huge, "scalar quantizer code size"));
            cases.add(Arguments.of("sq_8bit", 65, huge, "trained size"));
            cases.add(Arguments.of("sq_8bit", 65 + 8 + 26 * 4, huge, "codes size"));
            cases.add(Arguments.of("pq_8bit", 37, huge, "pq dimension"));
            cases.add(Arguments.of("pq_8bit", 45, huge, "pq M"));
            cases.add(Arguments.of("pq_8bit", 53, huge, "pq nbits"));
            cases.add(Arguments.of("pq_8bit", 61, huge, "pq centroids size"));
            cases.add(Arguments.of("pq_8bit", 69 + 16 * 256 * 4, huge, "pq codes size"));
            cases.add(Arguments.of("ivfpq_residual", pqCentroids, huge, "IVFPQ centroids size"));
            cases.add(Arguments.of("ivfpq_residual", pqCentroids - 24, huge, "IVFPQ pq dimension"));
            cases.add(Arguments.of("ivfpq_residual", pqCentroids - 32, huge, "IVFPQ code size"));
            cases.add(Arguments.of("ivfpq_residual", indexOf(pq, "ilar") + 12, huge, "lists code size"));
            cases.add(Arguments.of("hnsw_flat", 8, huge, "HNSW ntotal"));
            cases.add(Arguments.of("hnsw_flat", 37, huge, "assign_probas size"));
            cases.add(Arguments.of("hnsw_flat", cum, huge, "cum_nneighbor_per_level size"));
            cases.add(Arguments.of("hnsw_flat", levels, huge, "levels size"));
            cases.add(Arguments.of("hnsw_flat", offsets, huge, "offsets size"));
            cases.add(Arguments.of("hnsw_flat", neighbors, huge, "neighbors size"));
        }
        // an ntotal whose product with the dimension wraps around to the real float count
        cases.add(Arguments.of("flat_ip", 8, 500 + (1L << 60), "ntotal wrapping with d=16"));
        return cases.build();
    }

    @ParameterizedTest(name = "{0}: {3} = {2}")
    @MethodSource("hugeLengthFields")
    void hugeLengthFieldsAreFormatErrors(String name, long offset, long value, String what) throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index(name));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong((int) offset, value);
        Path file = tmp.resolve(name + "-corrupt.index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains(file.toString());
    }

    @Test
    void fileTruncatedAfterOpeningFailsWhileReading() throws IOException {
        Path file = Files.copy(FaissFixtures.index("ivfflat_ip"), tmp.resolve("shrinking.index"));
        try (FaissSource source = FaissSource.builder().file(file).build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(Files.size(file) / 2);
            }
            MigrationException e = assertTimeoutPreemptively(LIMIT, () -> catchThrowableOfType(
                    MigrationException.class, () -> {
                        try (SplitReader reader = source.open(split)) {
                            while (reader.next(100).isPresent()) {
                                // read through
                            }
                        }
                    }));
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
            assertThat(e.getMessage()).contains(file.toString()).contains(split.id());
        }
    }

    @Test
    void listEntryOutsideTheIdMapFailsWhileReading() throws IOException {
        byte[] bytes = Files.readAllBytes(FaissFixtures.index("idmap_ivfflat"));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int sizes = indexOf(bytes, "ilar") + 32; // nlist 10, "full" sizes
        int list = 0;
        while (b.getLong(sizes + 8 * list) == 0) {
            list++;
        }
        long firstListIds = sizes + 8L * 10 + b.getLong(sizes + 8 * list) * 20 * Float.BYTES;
        b.putLong((int) firstListIds, 1500); // one past the last row of the ID map
        Path file = tmp.resolve("bad-internal-id.index");
        Files.write(file, bytes);
        MigrationException e = failure(file);
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains(file.toString()).contains("1500");
    }

    @Test
    void textFileIsAFormatError() throws IOException {
        Path file = tmp.resolve("notes.index");
        Files.writeString(file, "Hello, this is a plain text file and certainly not a Faiss index at all......."
                .repeat(2).substring(0, 100));
        MigrationException e = failure(file);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains(file.toString());
    }

    @Test
    void emptyFileIsAFormatError() throws IOException {
        Path file = Files.createFile(tmp.resolve("empty.index"));
        MigrationException e = failure(file);
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains(file.toString());
    }

    @Test
    void missingFileIsAnIoError() {
        Path file = tmp.resolve("missing.index");
        MigrationException e = failure(file);
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO);
        assertThat(e.getMessage()).contains(file.toString());
    }

    @Test
    void wrongConfiguredDimensionNamesBoth() {
        var e = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder()
                .file(FaissFixtures.index("flat_l2")).dimension(128).build());
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage()).contains("128").contains("37");
        try (FaissSource ok = FaissSource.builder().file(FaissFixtures.index("flat_l2")).dimension(37).build()) {
            assertThat(ok.collections().get(0).schema().fields().get(1).dimension()).isEqualTo(37);
        }
    }

    private static MigrationException failure(Path file) {
        return FaissFailures.failure(file, 4096);
    }

    private static int indexOf(byte[] bytes, String ascii) {
        return FaissFailures.indexOf(bytes, ascii);
    }
}
