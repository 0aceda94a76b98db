package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3Storage against a real S3 server (S3Proxy from scripts/s3-server.sh). */
class S3StorageIT {
    private static TestS3 s3;
    private static S3Storage storage;
    private static final String RUN = "it-" + UUID.randomUUID();

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        s3 = new TestS3();
        storage = s3.storage().prefix(RUN).partSize(5L << 20).pageSize(100).readAhead(64 << 10)
                .checkBucket(true).build();
    }

    @AfterAll
    static void cleanUp() {
        if (storage != null) {
            storage.deletePrefix("");
            storage.close();
        }
    }

    @Test
    void largeMultipartObjectRoundTripsBitForBit() throws Exception {
        Path file = randomFile(tmp.resolve("big.bin"), 40_000_003L, 1);   // 8 parts of 5 MiB, the last short
        storage.upload("big/object.bin", file);

        assertThat(storage.exists("big/object.bin")).isTrue();
        assertThat(storage.size("big/object.bin")).isEqualTo(Files.size(file));
        try (InputStream in = storage.read("big/object.bin"); InputStream expected = Files.newInputStream(file)) {
            assertThat(digest(in)).isEqualTo(digest(expected));
        }
        assertThat(storage.list("big/")).containsExactly("big/object.bin");
        // the object sits under the storage's prefix in the bucket
        try (S3Storage root = s3.storage().build()) {
            assertThat(root.exists(RUN + "/big/object.bin")).isTrue();
        }
    }

    @Test
    void emptyObjectRoundTrips() throws Exception {
        Path file = Files.createFile(tmp.resolve("empty.bin"));
        storage.upload("empty/e.bin", file);
        assertThat(storage.exists("empty/e.bin")).isTrue();
        assertThat(storage.size("empty/e.bin")).isZero();
        try (InputStream in = storage.read("empty/e.bin")) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (SeekableByteChannel ch = storage.openSeekable("empty/e.bin")) {
            assertThat(ch.size()).isZero();
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
        storage.write("empty/w.bin", new byte[0]);
        assertThat(storage.size("empty/w.bin")).isZero();
    }

    @Test
    void rangedReadsAtManyOffsetsReturnTheFileBytes() throws Exception {
        Path file = randomFile(tmp.resolve("ranged.bin"), 3_000_001L, 2);
        byte[] all = Files.readAllBytes(file);
        storage.upload("ranged/r.bin", file);
        Random random = new Random(7);
        try (SeekableByteChannel ch = storage.openSeekable("ranged/r.bin")) {
            assertThat(ch.size()).isEqualTo(all.length);
            for (int i = 0; i < 300; i++) {
                long pos = i % 10 == 0 ? all.length - 1 - random.nextInt(100) : (long) random.nextInt(all.length);
                // small reads (served from the read-ahead), and reads larger than it
                int len = i % 3 == 0 ? 200_000 + random.nextInt(300_000) : 1 + random.nextInt(5000);
                ByteBuffer dst = ByteBuffer.allocate(len);
                ch.position(pos);
                while (dst.hasRemaining() && ch.read(dst) > 0) {
                    // keep reading
                }
                int got = dst.position();
                assertThat(got).as("bytes read at %d", pos).isEqualTo((int) Math.min(len, all.length - pos));
                byte[] expected = java.util.Arrays.copyOfRange(all, (int) pos, (int) pos + got);
                assertThat(java.util.Arrays.copyOf(dst.array(), got)).as("bytes at %d+%d", pos, got)
                        .isEqualTo(expected);
                assertThat(ch.position()).isEqualTo(pos + got);
            }
            ch.position(all.length);
            assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
        assertThatThrownBy(() -> storage.openSeekable("ranged/missing.bin"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("ranged/missing.bin");
    }

    @Test
    void listingSpansPagesAndDeletingAPrefixRemovesOnlyIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 250; i++) {   // page size 100: three list pages, three delete batches
                String key = String.format("many/k-%04d.txt", i);
                expected.add(key);
                writes.add(pool.submit(() -> storage.write(key, key.getBytes())));
            }
            writes.add(pool.submit(() -> storage.write("many-other/keep.txt", new byte[] {1})));
            writes.add(pool.submit(() -> storage.write("keep/many/x.txt", new byte[] {2})));
            for (Future<?> f : writes) {
                f.get();
            }
            assertThat(storage.list("many/")).containsExactlyElementsOf(expected);
            assertThat(storage.list("many")).hasSize(251);
            assertThat(storage.list("nothing-here/")).isEmpty();

            storage.deletePrefix("many/");
            assertThat(storage.list("many/")).isEmpty();
            assertThat(storage.exists("many/k-0000.txt")).isFalse();
            assertThat(storage.list("many-other/")).containsExactly("many-other/keep.txt");
            assertThat(storage.list("keep/")).containsExactly("keep/many/x.txt");
            storage.deletePrefix("nothing-here/");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongCredentialsFailAtOnceNamingBucketAndKeyButNotTheSecret() {
        String wrongSecret = "wrong-secret-" + UUID.randomUUID();
        try (S3Storage bad = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(s3.endpoint)
                .bucket(s3.bucket).credentials(s3.accessKey, wrongSecret).build()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> bad.write("denied/a.bin", new byte[] {1, 2, 3}))
                    .isInstanceOf(MigrationException.class)
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.STORAGE_IO))
                    .hasMessageContaining("s3://" + s3.bucket + "/denied/a.bin")
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining(s3.endpoint)
                    .hasMessageNotContaining(wrongSecret);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a final error is not retried")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(bad.toString()).doesNotContain(wrongSecret);
        }
        assertThatThrownBy(() -> S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(s3.endpoint)
                .bucket(s3.bucket).credentials(s3.accessKey, wrongSecret).checkBucket(true).build())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("bucket " + s3.bucket).hasMessageContaining("access denied")
                .hasMessageNotContaining(wrongSecret);
        assertThat(storage.exists("denied/a.bin")).isFalse();
    }

    @Test
    void missingBucketIsReportedAtOnceAndCanBeCreated() {
        String missing = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        assertThatThrownBy(() -> s3.storage().bucket(missing).checkBucket(true).build())
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.STORAGE_IO))
                .hasMessageContaining("bucket " + missing).hasMessageContaining("does not exist")
                .hasMessageNotContaining(s3.secretKey);
        try (S3Storage unchecked = s3.storage().bucket(missing).build()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> unchecked.write("a/b.bin", new byte[] {1}))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("s3://" + missing + "/a/b.bin")
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> unchecked.list("a/")).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("NoSuchBucket");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
        try (S3Storage created = s3.storage().bucket(missing).createBucket(true).build()) {
            created.write("a/b.bin", new byte[] {1});
            assertThat(created.list("")).containsExactly("a/b.bin");
            created.deletePrefix("");
        }
    }

    /** A private server on its own port, stopped while a multipart upload is under way, then started again. */
    @Test
    void serverStoppedMidUploadIsReportedAndNoHalfObjectIsVisible() throws Exception {
        Path data = tmp.resolve("private-s3");
        String port = "9471";
        Map<String, String> env = Map.of("S3_PORT", port, "S3_DATA_DIR", data.toString(),
                "S3_BUCKET", "private");
        TestS3.script("start", env);
        Path file = randomFile(tmp.resolve("mid.bin"), 200L << 20, 3);  // 40 parts of 5 MiB, one at a time
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (S3Storage priv = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint("http://127.0.0.1:" + port)
                .bucket("private").credentials(s3.accessKey, s3.secretKey).partSize(5L << 20).uploadConcurrency(1)
                .maxAttempts(3).backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).build()) {
            Future<?> upload = pool.submit(() -> priv.upload("mid/object.bin", file));
            Path blobs = data.resolve("blobs");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!anyFile(blobs) && System.nanoTime() < deadline && !upload.isDone()) {
                Thread.sleep(5);
            }
            assertThat(upload.isDone()).as("upload still under way when the first part arrives").isFalse();
            TestS3.script("stop", env);

            assertThatThrownBy(() -> upload.get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(MigrationException.class)
                    .cause().hasMessageContaining("s3://private/mid/object.bin")
                    .hasMessageContaining("127.0.0.1:" + port)
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.STORAGE_IO));

            TestS3.script("start", env);
            assertThat(priv.exists("mid/object.bin")).as("no half object").isFalse();
            assertThat(priv.list("")).doesNotContain("mid/object.bin");

            priv.upload("mid/object.bin", file);   // the same upload works once the server is back
            assertThat(priv.size("mid/object.bin")).isEqualTo(Files.size(file));
        } finally {
            pool.shutdownNow();
            TestS3.script("stop", env);
        }
    }

    private static boolean anyFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        // the multipart upload's files (S3Proxy keeps a stub and the parts) come and go while we walk
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith("s3proxy"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    static Path randomFile(Path path, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(path)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return path;
    }

    private static byte[] digest(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }
}
