package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every object-store backend must do, run against a real server by the backends' {@code *IT} subclasses. Each
 * test works under its own random prefix, so runs against a long-lived emulator do not see each other.
 */
abstract class ObjectStorageContract {
    static final int LARGE = 40 << 20;

    @TempDir
    Path tmp;
    Storage storage;
    String run;

    /** A storage on the test bucket/container with small chunks or blocks and the given page size and read-ahead. */
    abstract Storage storage(int pageSize, int readAhead);

    /** The same server, but a bucket/container that does not exist. */
    abstract Storage storageOnMissingBucket(String bucket);

    /** The backend's name as errors say it ("GCS", "Azure Blob"). */
    abstract String backend();

    @BeforeEach
    void open() {
        storage = storage(1000, 256 << 10);
        run = "it-" + UUID.randomUUID() + "/";
    }

    @AfterEach
    void cleanUp() {
        if (storage != null) {
            storage.deletePrefix(run);
            storage.close();
        }
    }

    static Path randomFile(Path dir, String name, long bytes, long seed) throws IOException {
        Path f = dir.resolve(name);
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = bytes; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(left, buf.length));
            }
        }
        return f;
    }

    static byte[] sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }

    @Test
    void largeObjectRoundTripsThroughManyChunks() throws Exception {
        Path f = randomFile(tmp, "large.bin", LARGE + 12345, 1);
        String key = run + "large/data.bin";
        storage.upload(key, f);
        assertThat(storage.exists(key)).isTrue();
        assertThat(storage.size(key)).isEqualTo(Files.size(f));
        try (InputStream remote = storage.read(key); InputStream local = Files.newInputStream(f)) {
            assertThat(sha256(remote)).isEqualTo(sha256(local));
        }
        // replacing keeps one complete object
        Path g = randomFile(tmp, "other.bin", 3 << 20, 2);
        storage.upload(key, g);
        assertThat(storage.size(key)).isEqualTo(3 << 20);
        try (InputStream remote = storage.read(key)) {
            assertThat(remote.readAllBytes()).isEqualTo(Files.readAllBytes(g));
        }
    }

    @Test
    void emptyObjectRoundTrips() throws Exception {
        Path f = Files.createFile(tmp.resolve("empty"));
        String key = run + "empty.bin";
        storage.upload(key, f);
        assertThat(storage.exists(key)).isTrue();
        assertThat(storage.size(key)).isZero();
        try (InputStream in = storage.read(key)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (SeekableByteChannel ch = storage.openSeekable(key)) {
            assertThat(ch.size()).isZero();
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
        storage.write(run + "bytes.bin", new byte[] {1, 2, 3});
        try (InputStream in = storage.read(run + "bytes.bin")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void rangedReadsAtManyOffsetsMatchTheBytes() throws Exception {
        Path f = randomFile(tmp, "ranged.bin", (5 << 20) + 777, 3);
        byte[] expected = Files.readAllBytes(f);
        String key = run + "ranged.bin";
        storage.upload(key, f);
        Random r = new Random(4);
        try (SeekableByteChannel ch = storage.openSeekable(key)) {
            assertThat(ch.size()).isEqualTo(expected.length);
            for (int i = 0; i < 150; i++) {
                int off = i == 0 ? 0 : i == 1 ? expected.length - 10 : r.nextInt(expected.length);
                int len = Math.min(expected.length - off, i % 7 == 0 ? 1 + r.nextInt(1 << 20) : 1 + r.nextInt(5000));
                ByteBuffer buf = ByteBuffer.allocate(len);
                ch.position(off);
                while (buf.hasRemaining()) {
                    assertThat(ch.read(buf)).as("read at %d", ch.position()).isPositive();
                }
                assertThat(ch.position()).isEqualTo(off + len);
                byte[] want = java.util.Arrays.copyOfRange(expected, off, off + len);
                assertThat(buf.array()).as("bytes at offset %d length %d", off, len).isEqualTo(want);
            }
            ch.position(expected.length);
            assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            ch.position(expected.length + 100L);
            assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void listingReturnsMoreKeysThanOnePage() {
        Storage small = storage(7, 1 << 16);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 53; i++) {
            String key = run + "many/" + String.format("k%03d", i) + (i % 2 == 0 ? ".npy" : "/nested.json");
            small.write(key, new byte[] {(byte) i});
            written.add(key);
        }
        small.write(run + "many-sibling", new byte[] {1});
        assertThat(small.list(run + "many/")).containsExactlyElementsOf(written.stream().sorted().toList());
        assertThat(small.list(run + "many")).hasSize(54);
        assertThat(small.list(run + "nothing/")).isEmpty();
        small.close();
    }

    @Test
    void deletePrefixDeletesOnlyThatPrefix() {
        for (String k : List.of("a/1", "a/2", "a/b/3", "ab/4", "b/5")) {
            storage.write(run + k, new byte[] {7});
        }
        storage.deletePrefix(run + "a/");
        assertThat(storage.list(run)).containsExactly(run + "ab/4", run + "b/5");
        assertThat(storage.exists(run + "a/1")).isFalse();
        storage.deletePrefix(run + "none/");
        storage.deletePrefix(run);
        assertThat(storage.list(run)).isEmpty();
    }

    @Test
    void missingKeyIsNamed() {
        String key = run + "absent.bin";
        assertThat(storage.exists(key)).isFalse();
        for (var call : List.<Runnable>of(() -> storage.read(key), () -> storage.size(key),
                () -> storage.openSeekable(key))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(MigrationException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_IO);
                assertThat(e.getMessage()).contains(backend(), key);
            });
        }
    }

    @Test
    void missingBucketIsReportedAtOnceWithBackendBucketAndKey() throws Exception {
        String bucket = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        Path f = randomFile(tmp, "small.bin", 1000, 5);
        try (Storage missing = storageOnMissingBucket(bucket)) {
            long t0 = System.nanoTime();
            for (var call : List.<Runnable>of(() -> missing.upload("k/upload.bin", f), () -> missing.list("k/"),
                    () -> missing.exists("k/exists.bin"), () -> missing.read("k/read.bin"),
                    () -> missing.deletePrefix("k/"))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_IO);
                    assertThat(e.getMessage()).contains(backend(), bucket, "k/");
                });
            }
            assertThat(System.nanoTime() - t0).as("final errors are not retried").isLessThan(20_000_000_000L);
        }
    }
}
