package io.milvus.migration.checkpoint;

import io.milvus.migration.spi.CheckpointStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process on a checkpoint file, for tests: {@code lock FILE} holds an exclusive SQLite lock until its
 * standard input closes; {@code write FILE} writes big multi-entry batches (job {@code job-N}, N from 0) through the
 * store until it is killed, saying "writing N" before each. Started with {@link #start}.
 */
public final class StoreProcess {
    /** Entries of one batch written by {@code write}. */
    static final int BATCH = 20_000;

    private StoreProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "lock" -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                     Statement st = c.createStatement()) {
                    st.execute("BEGIN EXCLUSIVE");
                    System.out.println("locked");
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // hold the lock until the parent closes our input (or dies)
                    }
                }
            }
            case "write" -> {
                try (CheckpointStore store = CheckpointStores.sqlite(file)) {
                    for (int n = 0; ; n++) {
                        var entries = new ArrayList<CheckpointStore.Entry>();
                        for (int i = 0; i < BATCH; i++) {
                            entries.add(new CheckpointStore.Entry("split", "k" + i, "value " + n + "/" + i));
                        }
                        System.out.println("writing " + n);
                        System.out.flush();
                        store.write("job-" + n, entries);
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Starts {@code java StoreProcess mode file} on this JVM's class path; returns once it printed a line. */
    static Started start(String mode, Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                StoreProcess.class.getName(), mode, file.toString())).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return new Started(p, out);
    }

    /** A started process and its output. */
    record Started(Process process, BufferedReader out) implements AutoCloseable {
        String nextLine() throws IOException {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("store process ended: exit " + waitFor());
            }
            return line;
        }

        private int waitFor() {
            try {
                return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close();
            try {
                if (process.waitFor(10, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kill();
        }
    }
}
