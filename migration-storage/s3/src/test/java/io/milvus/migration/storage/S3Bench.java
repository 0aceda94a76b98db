package io.milvus.migration.storage;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Throughput of {@link S3Storage} for scripts/bench-s3.sh: {@code S3Bench upload|download FILE KEY} against the S3
 * server in the environment (S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET); prints
 * {@code <op> <bytes> <seconds>}. Part size and upload concurrency from {@code -Dbench.partMiB} (16) and
 * {@code -Dbench.concurrency} (4).
 */
public final class S3Bench {
    private S3Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: S3Bench upload|download FILE KEY");
            System.exit(2);
        }
        TestS3 s3 = new TestS3();
        Path file = Path.of(args[1]);
        try (S3Storage storage = s3.storage().partSize(Long.getLong("bench.partMiB", 16) << 20)
                .uploadConcurrency(Integer.getInteger("bench.concurrency", 4)).build()) {
            long t0 = System.nanoTime();
            long bytes;
            if (args[0].equals("upload")) {
                storage.upload(args[2], file);
                bytes = Files.size(file);
            } else {
                try (InputStream in = storage.read(args[2]);
                     OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                             StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    bytes = in.transferTo(out);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s %d %.3f%n", args[0], bytes, seconds);
        }
    }
}
