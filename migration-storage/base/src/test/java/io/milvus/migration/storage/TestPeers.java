package io.milvus.migration.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The emulators the integration tests use, started by {@code scripts/azurite.sh} and {@code scripts/gcs-server.sh}
 * (both called by {@code scripts/test.sh}). Without their environment the tests fail: they never skip.
 */
final class TestPeers {
    private TestPeers() {
    }

    static String require(String name, String script) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the emulator with scripts/" + script
                    + " start and export its env (eval \"$(scripts/" + script + " env)\")");
        }
        return v;
    }

    static String gcsHost() {
        return require("GCS_EMULATOR_HOST", "gcs-server.sh");
    }

    static String azureConnectionString() {
        return require("AZURE_CONNECTION_STRING", "azurite.sh");
    }

    /** One {@code Key=value} of a connection string. */
    static String connectionPart(String connectionString, String key) {
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equalsIgnoreCase(key)) {
                return part.substring(eq + 1);
            }
        }
        throw new IllegalStateException("no " + key + " in the connection string");
    }

    /** Runs {@code scripts/<script> <verb>} of this repository and waits for it. */
    static void script(String script, String verb) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (repo != null && !Files.isRegularFile(repo.resolve("scripts").resolve(script))) {
            repo = repo.getParent();
        }
        if (repo == null) {
            throw new IllegalStateException("scripts/" + script + " not found above " + System.getProperty("user.dir"));
        }
        Process p = new ProcessBuilder("bash", repo.resolve("scripts").resolve(script).toString(), verb)
                .inheritIO().start();
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/" + script + " " + verb + " failed");
        }
    }
}
