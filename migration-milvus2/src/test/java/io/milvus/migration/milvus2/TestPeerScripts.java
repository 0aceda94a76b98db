package io.milvus.migration.milvus2;

import io.milvus.migration.faiss.FaissFixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the test peers through the project's own scripts, with the environment that started them
 * ({@code scripts/test.sh}, or a developer's shell with their own ports): {@code MILVUS_URI}'s port, the
 * {@code MILVUS_METRICS_PORT} / {@code MILVUS_ETCD_PORT} / {@code MILVUS_DATA_DIR} knobs as exported, the data dir
 * otherwise found from {@code MILVUS_IMPORT_ROOT}; S3Proxy by {@code S3_PORT} and {@code S3_DATA_DIR} (exported by
 * {@code scripts/s3-server.sh env}). Fails loudly when the environment does not name a running peer.
 */
final class TestPeerScripts {
    private TestPeerScripts() {
    }

    /** Runs {@code scripts/milvus-server.sh verb} for the default-mode Milvus at {@code MILVUS_URI}. */
    static Duration milvus(String verb) {
        return run("milvus-server.sh", verb, milvusEnv());
    }

    /** Runs {@code scripts/s3-server.sh verb} for the S3Proxy at {@code S3_ENDPOINT}. */
    static Duration s3(String verb) {
        return run("s3-server.sh", verb, s3Env());
    }

    /** What {@code scripts/milvus-server.sh status} says of the Milvus at {@code MILVUS_URI} (with its pid). */
    static String milvusStatus() {
        return output("milvus-server.sh", "status", milvusEnv()).trim();
    }

    /** Fails unless the scripts, given the environment, see the Milvus at {@code MILVUS_URI} running. */
    static void requireMilvusRunning() {
        String out = output("milvus-server.sh", "status", milvusEnv());
        String uri = require("MILVUS_URI");
        if (!out.contains("running") || !out.contains("uri=http://127.0.0.1:" + URI.create(uri).getPort())) {
            throw new IllegalStateException("scripts/milvus-server.sh status does not see the Milvus at " + uri
                    + " (" + out.trim() + "): export the MILVUS_PORT, MILVUS_METRICS_PORT, MILVUS_ETCD_PORT and"
                    + " MILVUS_DATA_DIR it was started with, so that this test can restart it");
        }
    }

    /** Fails unless the script sees the S3 server of {@code S3_ENDPOINT} running. */
    static void requireS3Running() {
        String out = output("s3-server.sh", "status", s3Env());
        if (!out.contains("running") || !out.contains("endpoint=" + require("S3_ENDPOINT"))) {
            throw new IllegalStateException("scripts/s3-server.sh status does not see the S3 server at "
                    + require("S3_ENDPOINT") + " (" + out.trim() + "): export its env (eval \"$(scripts/s3-server.sh"
                    + " env)\")");
        }
    }

    private static Map<String, String> milvusEnv() {
        var env = new HashMap<String, String>();
        env.put("MILVUS_STORAGE", "local");
        env.put("MILVUS_PORT", String.valueOf(URI.create(require("MILVUS_URI")).getPort()));
        String importRoot = System.getenv("MILVUS_IMPORT_ROOT");
        if (System.getenv("MILVUS_DATA_DIR") == null && importRoot != null && !importRoot.isBlank()) {
            // the script's import root is $MILVUS_DATA_DIR/import
            env.put("MILVUS_DATA_DIR", Path.of(importRoot).getParent().toString());
        }
        return env;
    }

    private static Map<String, String> s3Env() {
        var env = new HashMap<String, String>();
        env.put("S3_PORT", String.valueOf(URI.create(require("S3_ENDPOINT")).getPort()));
        env.put("S3_DATA_DIR", require("S3_DATA_DIR"));
        return env;
    }

    private static Duration run(String script, String verb, Map<String, String> env) {
        long t0 = System.nanoTime();
        String out = output(script, verb, env);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.err.printf("scripts/%s %s took %d ms: %s%n", script, verb, took.toMillis(), out.trim());
        return took;
    }

    private static String output(String script, String verb, Map<String, String> env) {
        Path repo = FaissFixtures.repoRoot();
        var pb = new ProcessBuilder("bash", repo.resolve("scripts").resolve(script).toString(), verb)
                .directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("scripts/" + script + " " + verb + " did not end");
            }
            String out = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 && !verb.equals("status")) {
                throw new IllegalStateException("scripts/" + script + " " + verb + " failed (exit " + p.exitValue()
                        + "):\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/" + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running scripts/" + script, e);
        }
    }

    private static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the peers and export their env as"
                    + " scripts/test.sh does");
        }
        return v;
    }
}
