package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.storage.LocalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Faiss file read through {@link io.milvus.migration.spi.Storage}: few range reads for parsing, whole batches per
 * read, errors naming the storage and key. (Every fixture is also read and broken through storage by the read and
 * error tests, via {@link FaissInput}.)
 */
class FaissStorageTest {
    @TempDir
    Path tmp;

    static Stream<String> allFixtures() throws IOException {
        return FaissSourceReadTest.fixtures().stream().map(FaissSourceReadTest.Fixture::name)
                .filter(n -> !n.startsWith("unsupported_"));
    }

    @ParameterizedTest
    @MethodSource("allFixtures")
    void parsingTakesAFewRangeReads(String name) {
        CountingStorage storage = CountingStorage.at(FaissFixtures.dir());
        try (FaissSource source = FaissSource.builder().storage(storage, name + ".index").metric(MetricType.L2)
                .build()) {
            assertThat(storage.reads()).as("range reads to parse %s", name).isBetween(1L, 6L);
            assertThat(source.collections()).hasSize(1);
        }
    }

    @Test
    void ivfWithThousandsOfListsParsesInAFewReadsAndReadsBack() throws IOException {
        int nlist = 2500;
        int dim = 8;
        var expected = new LinkedHashMap<Long, float[]>();
        Path file = tmp.resolve("many-lists.index");
        Files.write(file, ivfFlat(nlist, dim, expected));
        CountingStorage storage = CountingStorage.at(tmp);
        try (FaissSource source = FaissSource.builder().storage(storage, "many-lists.index").build()) {
            assertThat(storage.reads()).as("range reads to parse %d lists", nlist).isLessThan(10);
            assertThat(source.indexType()).isEqualTo("IwFl");
            assertThat(source.collections().get(0).schema().name()).isEqualTo("many_lists");
            Map<Long, float[]> read = readAll(source, 100);
            assertThat(read.keySet()).containsExactlyElementsOf(expected.keySet());
            read.forEach((id, v) -> assertThat(v).as("id %d", id).containsExactly(expected.get(id)));
        }
        try (FaissSource fromFile = FaissSource.builder().file(file).build()) {
            assertThat(readAll(fromFile, 100).keySet()).containsExactlyElementsOf(expected.keySet());
        }
    }

    @Test
    void aSplitReaderReadsAWholeBatchAtOnce() {
        CountingStorage storage = CountingStorage.at(FaissFixtures.dir());
        try (FaissSource source = FaissSource.builder().storage(storage, "flat_l2.index").build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            try (SplitReader reader = source.open(split)) {
                long before = storage.reads();
                assertThat(reader.next(1000).orElseThrow().rowCount()).isEqualTo(1000);
                assertThat(storage.reads() - before).as("reads for 1000 flat rows in one batch").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 40, 700, 5000, 60_000, 100_000})
    void aTruncatedObjectIsAFormatErrorNamingStorageKeyAndOffset(int cut) {
        CountingStorage storage = CountingStorage.at(FaissFixtures.dir()).truncate("ivfflat_l2.index", cut);
        var e = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder()
                .storage(storage, "ivfflat_l2.index").build());
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.SOURCE_FORMAT);
        assertThat(e.getMessage()).contains("Faiss file " + storage.describe() + "/ivfflat_l2.index at offset ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ivfflat_l2", "bin_ivf_64", "flat_ip", "bin_flat_64"})
    void anObjectShrinkingAfterParsingFailsWhileReadingNamingStorageKeyAndSplit(String name) throws IOException {
        CountingStorage storage = CountingStorage.at(FaissFixtures.dir());
        String key = name + ".index";
        try (FaissSource source = FaissSource.builder().storage(storage, key).build()) {
            Split split = source.splits(source.collections().get(0)).get(0);
            storage.truncate(key, Files.size(FaissFixtures.index(name)) / 2);
            var e = catchThrowableOfType(MigrationException.class, () -> {
                try (SplitReader reader = source.open(split)) {
                    while (reader.next(100).isPresent()) {
                        // read through
                    }
                }
            });
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_FORMAT);
            assertThat(e.getMessage()).contains(storage.describe() + "/" + key + " at offset ").contains(split.id());
        }
    }

    @Test
    void aMissingKeyIsAnIoErrorNamingStorageAndKey() {
        CountingStorage storage = CountingStorage.at(tmp);
        var e = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder()
                .storage(storage, "nothing/here.index").build());
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO);
        assertThat(e.getMessage()).contains(storage.describe() + "/nothing/here.index").contains("does not exist");
    }

    @Test
    void exactlyOneOfFileAndStorage() {
        var neither = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder().build());
        assertThat(neither.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(neither.getMessage()).contains("'file'").contains("'storage'");
        Path file = FaissFixtures.index("flat_ip");
        var both = catchThrowableOfType(MigrationException.class, () -> FaissSource.builder().file(file)
                .storage(LocalStorage.at(file.getParent()), "flat_ip.index").build());
        assertThat(both.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(both.getMessage()).contains("'file'").contains("'storage'");
    }

    @Test
    void nameAndDescriptionComeFromTheKeyAndTheCallerKeepsTheStorage() throws IOException {
        Files.createDirectories(tmp.resolve("exports/2024"));
        Files.copy(FaissFixtures.index("ivfflat_ip"), tmp.resolve("exports/2024/My-Vectors.faiss"));
        CountingStorage storage = CountingStorage.at(tmp);
        try (FaissSource source = FaissSource.builder().storage(storage, "exports/2024/My-Vectors.faiss").build()) {
            assertThat(source.collections().get(0).schema().name()).isEqualTo("My_Vectors");
            assertThat(source.describe()).isEqualTo("faiss:" + storage.describe() + "/exports/2024/My-Vectors.faiss");
            assertThat(readAll(source, 500)).hasSize(2000);
        }
        assertThat(storage.closed()).as("the caller's storage stays open").isFalse();
        try (FaissSource local = FaissSource.builder().storage(LocalStorage.at(FaissFixtures.dir()), "flat_ip.index")
                .build()) {
            assertThat(local.collections().get(0).schema().name()).isEqualTo("flat_ip");
        }
    }

    /** Every row of every split, id to vector, in split order. */
    private static Map<Long, float[]> readAll(FaissSource source, int batch) {
        var read = new LinkedHashMap<Long, float[]>();
        for (Split split : source.splits(source.collections().get(0))) {
            try (SplitReader reader = source.open(split)) {
                Optional<Batch> b;
                while ((b = reader.next(batch)).isPresent()) {
                    long[] ids = ((Column.Longs) b.get().column("id")).values();
                    Column.FloatVectors v = (Column.FloatVectors) b.get().column("vector");
                    int d = v.dimension();
                    for (int i = 0; i < ids.length; i++) {
                        assertThat(read.put(ids[i], Arrays.copyOfRange(v.values(), i * d, (i + 1) * d))).isNull();
                    }
                }
            }
        }
        return read;
    }

    /**
     * An IndexIVFFlat (L2) as Faiss's {@code write_index} lays it out, with {@code nlist} lists, list i holding i % 3
     * rows (so a third of the lists are empty); fills {@code rows} with id to vector in storage order.
     */
    private static byte[] ivfFlat(int nlist, int dim, Map<Long, float[]> rows) {
        long total = 0;
        for (int i = 0; i < nlist; i++) {
            total += i % 3;
        }
        int codeSize = dim * Float.BYTES;
        int bytes = 4 + 33 + 16 + (4 + 33 + 8 + nlist * codeSize) + 9 + (4 + 16 + 4 + 8 + 8 * nlist)
                + (int) total * (codeSize + 8);
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("IwFl".getBytes(StandardCharsets.US_ASCII));
        header(b, dim, total);
        b.putLong(nlist).putLong(1); // nlist, nprobe
        b.put("IxF2".getBytes(StandardCharsets.US_ASCII));
        header(b, dim, nlist);
        b.putLong((long) nlist * dim);
        for (int i = 0; i < nlist * dim; i++) {
            b.putFloat(i);
        }
        b.put((byte) 0).putLong(0); // no direct map
        b.put("ilar".getBytes(StandardCharsets.US_ASCII)).putLong(nlist).putLong(codeSize);
        b.put("full".getBytes(StandardCharsets.US_ASCII)).putLong(nlist);
        for (int i = 0; i < nlist; i++) {
            b.putLong(i % 3);
        }
        for (int i = 0; i < nlist; i++) {
            long[] ids = new long[i % 3];
            for (int j = 0; j < ids.length; j++) {
                float[] v = new float[dim];
                for (int k = 0; k < dim; k++) {
                    v[k] = i + j * 0.5f + k * 0.25f;
                    b.putFloat(v[k]);
                }
                ids[j] = 1_000_000L * i + j;
                rows.put(ids[j], v);
            }
            for (long id : ids) {
                b.putLong(id);
            }
        }
        assertThat(b.hasRemaining()).isFalse();
        return b.array();
    }

    /** d, ntotal, two dummies, is_trained, metric L2. */
    private static void header(ByteBuffer b, int dim, long rows) {
        b.putInt(dim).putLong(rows).putLong(1 << 20).putLong(1 << 20).put((byte) 1).putInt(1);
    }
}
