package io.milvus.migration.bench;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * End to end into a real Milvus: a Faiss index to a collection by bulk import, in interleaved rounds of four ways:
 * serial (dump every file, then load them: what {@code run} did before imports overlapped reading), pipelined
 * {@code run}, pipelined with job state in SQLite (the bookkeeping's cost), and pipelined with a staging bound
 * smaller than the data (the staging peak is sampled). Prints medians and the goals' verdicts.
 *
 * <p>Arguments: index file, Milvus URI, staging directory (Milvus must read it: its import root), rounds.
 */
public final class RunBench {
    private RunBench() {
    }

    public static void main(String[] args) throws Exception {
        Path index = Path.of(args[0]);
        String uri = args[1];
        Path staging = Path.of(args[2]).toAbsolutePath();
        int rounds = Integer.parseInt(args[3]);
        long maxFileBytes = Long.getLong("bench.maxFileBytes", 32L << 20);
        long bound = Long.getLong("bench.maxStagedBytes", 128L << 20);
        long indexBytes = Files.size(index);
        System.out.printf(Locale.ROOT, "bench-run: %s (%.1f MB), groups of at most %d MB, staging bound %d MB,"
                + " Milvus %s, %d rounds%n", index, indexBytes / 1e6, maxFileBytes >> 20, bound >> 20, uri, rounds);
        var times = new LinkedHashMap<String, List<Double>>();
        long peak = 0;
        var milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        try {
            for (int r = 0; r < rounds; r++) {
                for (String way : List.of("serial", "pipelined", "pipelined+sqlite", "bounded")) {
                    String collection = "bench_run_" + way.replaceAll("[^a-z]", "_") + "_" + r;
                    milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
                    var sampler = new Sampler(staging);
                    long t0 = System.nanoTime();
                    MigrationReport report = once(way, index, uri, staging, collection, maxFileBytes, bound,
                            sampler, r);
                    double s = (System.nanoTime() - t0) / 1e9;
                    sampler.stop();
                    if (way.equals("bounded")) {
                        peak = Math.max(peak, sampler.peak.get());
                    }
                    times.computeIfAbsent(way, k -> new ArrayList<>()).add(s);
                    System.out.printf(Locale.ROOT, "bench-run: round %d %-17s %6.1f s  %d rows loaded, staging"
                            + " peak %.1f MB%n", r + 1, way, s, report.rowsLoaded(), sampler.peak.get() / 1e6);
                    milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
                    deleteUnder(staging.resolve("bench-run"));
                }
            }
        } finally {
            milvus.close();
        }
        double serial = median(times.get("serial"));
        double pipelined = median(times.get("pipelined"));
        double sqlite = median(times.get("pipelined+sqlite"));
        times.forEach((way, t) -> System.out.printf(Locale.ROOT, "bench-run: %-17s median %6.1f s (min %.1f, max"
                + " %.1f)%n", way, median(t), Collections.min(t), Collections.max(t)));
        boolean speedup = serial / pipelined >= 1.3;
        boolean bounded = peak <= bound + (64L << 20);
        double bookkeeping = (sqlite - pipelined) / pipelined;
        System.out.printf(Locale.ROOT, "bench-run: serial / pipelined = %.2f (goal >= 1.3) %s%n", serial / pipelined,
                speedup ? "PASS" : "FAIL");
        System.out.printf(Locale.ROOT, "bench-run: staging peak %.1f MB with a bound of %d MB (+ one batch per"
                + " worker) %s%n", peak / 1e6, bound >> 20, bounded ? "PASS" : "FAIL");
        System.out.printf(Locale.ROOT, "bench-run: checkpoint bookkeeping (SQLite) %+.1f %% of the run (goal < 2 %%,"
                + " within the noise of %d rounds) %s%n", 100 * bookkeeping, rounds, bookkeeping < 0.02 ? "PASS"
                : "FAIL");
        System.exit(speedup && bounded && bookkeeping < 0.02 ? 0 : 1);
    }

    private static MigrationReport once(String way, Path index, String uri, Path staging, String collection,
                                        long maxFileBytes, long bound, Sampler sampler, int round) throws IOException {
        try (var source = FaissSource.builder().file(index).collection(collection).build();
             var target = MilvusTarget.builder().uri(uri).build()) {
            var b = Migration.builder().source(source).target(target).staging(LocalStorage.at(staging))
                    .stagingPrefix("bench-run/" + collection).maxFileBytes(maxFileBytes).listener(e -> sampler.sample());
            switch (way) {
                case "serial" -> {
                    b.build().dump();
                    return b.build().load();
                }
                case "pipelined" -> {
                    return b.build().run();
                }
                case "pipelined+sqlite" -> {
                    Path db = staging.resolve("bench-run/jobs-" + round + ".db");
                    Files.createDirectories(db.getParent());
                    try (var store = CheckpointStores.sqlite(db)) {
                        return b.jobId("bench-" + round).checkpoints(store).build().run();
                    }
                }
                default -> {
                    return b.maxStagedBytes(bound).build().run();
                }
            }
        }
    }

    /** Samples the bytes under the staging directory, from progress events and every 50 ms. */
    private static final class Sampler {
        final AtomicLong peak = new AtomicLong();
        private final Path dir;
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(Path dir) {
            this.dir = dir;
            this.thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "staging-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void sample() {
            peak.accumulateAndGet(bytesUnder(dir.resolve("bench-run")), Math::max);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static long bytesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.toString().endsWith(".db")).mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // a file vanished while walking: the next sample counts again
        }
    }

    private static void deleteUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double median(List<Double> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
