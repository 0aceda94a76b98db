package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.faiss.FaissFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution {@code target/milvus-migration-<version>.tar.gz} as a user unpacks and runs it: the launcher
 * {@code bin/milvus-migration} finds Java, sets its defaults (JAVA_OPTS after them), prints the version and dumps
 * a real Faiss file; the class-data archive the first dump writes serves the second.
 */
class MilvusMigrationDistIT {
    @TempDir
    Path dir;
    private Path home;
    private String version;

    @BeforeEach
    void unpack() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("milvus-migration-.*\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("mvn package builds target/milvus-migration-"
                            + "<version>.tar.gz"));
        }
        String name = tarball.getFileName().toString();
        version = name.substring("milvus-migration-".length(), name.length() - ".tar.gz".length());
        Result untar = run(List.of("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString()),
                Map.of());
        assertThat(untar.exit).as(untar.output).isZero();
        home = dir.resolve("milvus-migration-" + version);
        assertThat(home.resolve("conf/migration.yaml")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(home.resolve("lib")).isDirectoryContaining("glob:**.jar");
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        Result r = launcher(Map.of(), "--version");
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output.trim()).isEqualTo("milvus-migration " + version);
    }

    @Test
    void dumpWritesFaissBitsAndTheSecondRunUsesTheClassArchive() throws Exception {
        Path out = dir.resolve("out");
        Path config = YamlConfig.faiss("ivfflat_l2", out).write(dir);
        Result first = launcher(Map.of(), "dump", "--config", config.toString());
        assertThat(first.exit).as(first.output).isZero();
        assertThat(first.output).contains("3000 rows read");
        assertThat(home.resolve("lib/milvus-migration.jsa")).as("the first dump writes the class archive")
                .isNotEmptyFile();
        assertSameRowsAsFaiss(out, "ivfflat_l2");

        Result second = launcher(Map.of(), "dump", "--config", config.toString());
        assertThat(second.exit).as(second.output).isZero();
        assertThat(second.output).contains("3000 rows read").doesNotContain("warning");
        assertSameRowsAsFaiss(out, "ivfflat_l2");
    }

    @Test
    void heapDefaultsAndJavaOptsAfterThem() throws Exception {
        Result defaults = launcher(Map.of("JAVA_OPTS", "-XshowSettings:vm"), "--version");
        assertThat(defaults.exit).as(defaults.output).isZero();
        assertThat(defaults.output).contains("Max. Heap Size: 256.00M").contains("milvus-migration " + version);

        Result raised = launcher(Map.of("JAVA_OPTS", "-Xmx300m -XshowSettings:vm"), "--version");
        assertThat(raised.exit).as(raised.output).isZero();
        assertThat(raised.output).contains("Max. Heap Size: 300.00M");

        Result otherGc = launcher(Map.of("JAVA_OPTS", "-XX:+UseParallelGC"), "--version");
        assertThat(otherGc.exit).as("the user's collector replaces the default one: " + otherGc.output).isZero();
    }

    @Test
    void badConfigIsAUsageError() throws Exception {
        Result r = launcher(Map.of(), "dump", "--config", dir.resolve("missing.yaml").toString());
        assertThat(r.exit).as(r.output).isEqualTo(2);
    }

    /** Every (id, vector) of the dump's groups is Faiss's own, bit for bit, and each row is there once. */
    private static void assertSameRowsAsFaiss(Path out, String fixture) throws IOException {
        FaissFixtures.Expected expected = FaissFixtures.expected(fixture);
        List<Path> vectorFiles;
        try (Stream<Path> files = Files.walk(out)) {
            vectorFiles = files.filter(p -> p.getFileName().toString().equals("vector.npy")).toList();
        }
        Map<Long, float[]> read = new HashMap<>();
        for (Path vectorFile : vectorFiles) {
            ByteBuffer ids = npyData(vectorFile.resolveSibling("id.npy"));
            ByteBuffer vectors = npyData(vectorFile);
            assertThat(vectors.remaining()).isEqualTo(ids.remaining() / 8 * expected.dimension() * 4);
            while (ids.hasRemaining()) {
                float[] v = new float[expected.dimension()];
                vectors.asFloatBuffer().get(v);
                vectors.position(vectors.position() + v.length * 4);
                assertThat(read.put(ids.getLong(), v)).isNull();
            }
        }
        assertThat(read.keySet()).isEqualTo(expected.rows().keySet());
        read.forEach((id, v) -> assertThat(expected.sameBits(id, v)).as("id %d", id).isTrue());
    }

    private static ByteBuffer npyData(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(b.array(), 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        int headerLength = b.getShort(8) & 0xffff;
        return b.position(10 + headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private record Result(int exit, String output) {
    }

    private Result launcher(Map<String, String> env, String... args) throws Exception {
        var command = new ArrayList<>(List.of(home.resolve("bin/milvus-migration").toString()));
        command.addAll(List.of(args));
        var withJava = new HashMap<>(env);
        withJava.put("JAVA_HOME", System.getProperty("java.home"));
        return run(command, withJava);
    }

    private Result run(List<String> command, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(dir, "run-", ".log");
        var pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 5 minutes:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
