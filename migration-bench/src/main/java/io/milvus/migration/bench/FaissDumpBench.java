package io.milvus.migration.bench;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.storage.LocalStorage;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Throughput of a Faiss to NumPy dump against a plain copy of the same file on the same disk.
 *
 * <p>{@code FaissDumpBench INDEX OUT_DIR [ROUNDS]}: copies INDEX once into OUT_DIR to warm the page cache, then
 * ROUNDS times in turn (a) copies it with {@link FileChannel#transferTo}, (a') copies it through a 1 MiB buffer with
 * {@link FileInputStream}/{@link FileOutputStream}, and (b) dumps it with
 * {@code Migration.builder().source(FaissSource).staging(LocalStorage).build().dump()} in a child JVM started with
 * {@code -Xmx} (system property {@code bench.xmx}, default 512m); the dump is timed inside the child, around source
 * parsing and {@code dump()}, without JVM start-up, after {@code bench.warmups} (3) untimed dumps that let the JIT
 * compile the code, as JMH's warm-up iterations do. Nothing fsyncs: all three write into the page cache. Each output
 * is deleted before the next step. Prints the medians as MB/s (10^6 bytes) of the index file size, the ratios and the
 * child's peak heap (sum over heap pools of {@link MemoryPoolMXBean#getPeakUsage()}, max over rounds), then PASS or
 * FAIL against ratio &ge; {@code bench.minRatio} (0.7) to the copy named by {@code bench.copy} ({@code stream},
 * the default, or {@code transferTo}) and peak heap &lt; {@code bench.maxHeapMb} MiB (512); exits 1 on FAIL. Optional:
 * {@code bench.parallelism}, {@code bench.batchBytes} for the migration, {@code bench.childJvmArgs}.
 *
 * <p>{@code FaissDumpBench --child INDEX OUT_DIR} is the migration step itself; it prints one {@code RESULT} line.
 */
public final class FaissDumpBench {
    private static final double MB = 1e6;
    private static final double MIB = 1 << 20;

    private FaissDumpBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("--child")) {
            child(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: FaissDumpBench INDEX OUT_DIR [ROUNDS]");
            System.exit(2);
        }
        System.exit(parent(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 3));
    }

    private static int parent(Path index, Path outRoot, int rounds) throws Exception {
        String xmx = System.getProperty("bench.xmx", "512m");
        double minRatio = Double.parseDouble(System.getProperty("bench.minRatio", "0.7"));
        long maxHeapMb = Long.parseLong(System.getProperty("bench.maxHeapMb", "512"));
        // The target compares with a plain sequential copy: bytes read into a buffer and written out, as the dump
        // itself must do. transferTo, an in-kernel copy that never enters the JVM, is printed beside it.
        boolean gateOnStream = !System.getProperty("bench.copy", "stream").equals("transferTo");
        long size = Files.size(index);
        long rows;
        int dim;
        try (FaissSource source = FaissSource.builder().file(index).build()) {
            var c = source.collections().get(0);
            rows = c.estimatedRows();
            dim = c.schema().fields().get(1).dimension();
        }
        Files.createDirectories(outRoot);
        Path out = Files.createTempDirectory(outRoot, "run-");
        System.out.printf(Locale.ROOT, "index %s: %d rows x %d, %.1f MB; output under %s; %d rounds; child -Xmx%s;"
                        + " %d processors%n", index, rows, dim, size / MB, out, rounds, xmx,
                Runtime.getRuntime().availableProcessors());
        try {
            Path copy = out.resolve("copy.index");
            transferTo(index, copy);   // warms the page cache with the index; not timed
            Files.delete(copy);
            double[] copySec = new double[rounds];
            double[] streamSec = new double[rounds];
            double[] migSec = new double[rounds];
            long peakHeap = 0;
            long peakLive = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                transferTo(index, copy);
                copySec[r] = (System.nanoTime() - t0) / 1e9;
                Files.delete(copy);

                t0 = System.nanoTime();
                streamCopy(index, copy);
                streamSec[r] = (System.nanoTime() - t0) / 1e9;
                Files.delete(copy);

                Path dump = out.resolve("dump");
                Map<String, String> res = runChild(index, dump, xmx);
                deleteTree(dump);
                migSec[r] = Double.parseDouble(res.get("seconds"));
                long heap = Long.parseLong(res.get("peakHeapBytes"));
                long live = Long.parseLong(res.get("afterLastGcBytes"));
                peakHeap = Math.max(peakHeap, heap);
                peakLive = Math.max(peakLive, live);
                if (Long.parseLong(res.get("rows")) != rows) {
                    throw new IllegalStateException("the dump read " + res.get("rows") + " rows, expected " + rows);
                }
                System.out.printf(Locale.ROOT, "round %d: copy transferTo %.0f MB/s, stream %.0f MB/s | migration"
                                + " %.3fs %.0f MB/s (child wall %ss, wrote %.1f MB) | peak heap %.1f MiB%n",
                        r + 1, size / MB / copySec[r], size / MB / streamSec[r], migSec[r], size / MB / migSec[r],
                        res.get("wallSeconds"), Long.parseLong(res.get("bytesWritten")) / MB, heap / MIB);
            }
            double copyMbs = size / MB / median(copySec);
            double streamMbs = size / MB / median(streamSec);
            double migMbs = size / MB / median(migSec);
            double ratio = migMbs / (gateOnStream ? streamMbs : copyMbs);
            boolean ratioOk = ratio >= minRatio;
            boolean heapOk = peakHeap < maxHeapMb * 1024 * 1024;
            System.out.printf(Locale.ROOT, "copy (FileChannel.transferTo)         %6.0f MB/s  median of %d%n",
                    copyMbs, rounds);
            System.out.printf(Locale.ROOT, "copy (1 MiB buffered stream)          %6.0f MB/s  median of %d%n",
                    streamMbs, rounds);
            System.out.printf(Locale.ROOT, "migration (Faiss -> NumPy, dump())    %6.0f MB/s  median of %d%n",
                    migMbs, rounds);
            System.out.printf(Locale.ROOT, "ratio migration/transferTo %.2f, migration/stream %.2f%n",
                    migMbs / copyMbs, migMbs / streamMbs);
            System.out.printf(Locale.ROOT, "ratio migration/%s %.2f (target >= %.2f): %s%n",
                    gateOnStream ? "stream" : "transferTo", ratio, minRatio, ratioOk ? "PASS" : "FAIL");
            System.out.printf(Locale.ROOT, "peak heap %.1f MiB (max over rounds; after last GC %.1f MiB;"
                    + " target < %d MiB): %s%n", peakHeap / MIB, peakLive / MIB, maxHeapMb, heapOk ? "PASS" : "FAIL");
            System.out.println(ratioOk && heapOk ? "PASS" : "FAIL");
            return ratioOk && heapOk ? 0 : 1;
        } finally {
            deleteTree(out);
        }
    }

    private static void transferTo(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                pos += in.transferTo(pos, size - pos, out);
            }
        }
    }

    private static void streamCopy(Path from, Path to) throws IOException {
        byte[] buf = new byte[1 << 20];
        try (InputStream in = new FileInputStream(from.toFile());
             OutputStream out = new FileOutputStream(to.toFile())) {
            int r;
            while ((r = in.read(buf)) > 0) {
                out.write(buf, 0, r);
            }
        }
    }

    private static Map<String, String> runChild(Path index, Path dump, String xmx) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        for (String p : List.of("bench.parallelism", "bench.batchBytes")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        String extra = System.getProperty("bench.childJvmArgs", "");
        if (!extra.isBlank()) {
            cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FaissDumpBench.class.getName(), "--child",
                index.toString(), dump.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> result = new HashMap<>();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    for (String kv : line.substring(7).trim().split(" ")) {
                        int eq = kv.indexOf('=');
                        result.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                } else {
                    System.out.println("  child: " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || !result.containsKey("seconds")) {
            throw new IllegalStateException("migration child exited with " + rc + ": " + cmd);
        }
        result.put("wallSeconds", String.format(Locale.ROOT, "%.2f", (System.nanoTime() - t0) / 1e9));
        return result;
    }

    /** The migration step, in its own JVM so that its heap is measured alone. */
    private static void child(Path index, Path out) throws IOException {
        // Warm-up dumps first, as JMH does: the timed one then measures steady-state code, not the JIT compiling it
        for (int i = 0; i < Integer.getInteger("bench.warmups", 3); i++) {
            Path warm = out.resolveSibling(out.getFileName() + "-warmup");
            dump(index, warm);
            deleteTree(warm);
        }
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        Timed timed = dump(index, out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        MigrationReport report = timed.report();
        long t1 = timed.opened();
        long peak = 0;
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
                if (pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
        }
        long written;
        try (Stream<Path> files = Files.walk(out)) {
            written = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf(Locale.ROOT, "RESULT seconds=%.4f openSeconds=%.4f rows=%d peakHeapBytes=%d afterLastGcBytes=%d"
                + " bytesWritten=%d%n", seconds, (t1 - t0) / 1e9, report.rowsRead(), peak, afterGc, written);
    }

    private record Timed(MigrationReport report, long opened) {
    }

    /** One dump of the index into {@code out}; {@code opened} is when the source was parsed. */
    private static Timed dump(Path index, Path out) throws IOException {
        Files.createDirectories(out);
        try (FaissSource source = FaissSource.builder().file(index).build()) {
            var b = Migration.builder().source(source).staging(LocalStorage.at(out));
            if (System.getProperty("bench.parallelism") != null) {
                b.parallelism(Integer.getInteger("bench.parallelism"));
            }
            if (System.getProperty("bench.batchBytes") != null) {
                b.batchBytes(Long.getLong("bench.batchBytes"));
            }
            long opened = System.nanoTime();
            return new Timed(b.build().dump(), opened);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
