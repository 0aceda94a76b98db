package io.milvus.migration.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real S3 server the integration tests run against: {@code S3_ENDPOINT}, {@code S3_ACCESS_KEY},
 * {@code S3_SECRET_KEY}, {@code S3_BUCKET}, set by {@code eval "$(scripts/s3-server.sh env)"} after
 * {@code scripts/s3-server.sh start}. Without them the tests fail: they never skip.
 */
final class TestS3 {
    final String endpoint = env("S3_ENDPOINT");
    final String accessKey = env("S3_ACCESS_KEY");
    final String secretKey = env("S3_SECRET_KEY");
    final String bucket = env("S3_BUCKET");

    /** A builder for the test bucket with the test credentials. */
    S3Storage.Builder storage() {
        return S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(endpoint).bucket(bucket)
                .credentials(accessKey, secretKey);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the test S3 server with "
                    + "scripts/s3-server.sh start and export its env (eval \"$(scripts/s3-server.sh env)\")");
        }
        return v;
    }

    /** Runs {@code scripts/s3-server.sh verb} with extra environment (a private server on its own port). */
    static void script(String verb, Map<String, String> env) throws IOException, InterruptedException {
        Path script = repoRoot().resolve("scripts/s3-server.sh");
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), verb));
        var pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/s3-server.sh " + verb + " failed");
        }
    }

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !dir.resolve("scripts/s3-server.sh").toFile().isFile()) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("scripts/s3-server.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
