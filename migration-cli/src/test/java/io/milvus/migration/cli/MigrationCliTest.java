package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.faiss.FaissFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationCliTest {
    private static final String UNREACHABLE = "127.0.0.1:1";

    @TempDir
    Path dir;

    /** Exit status and what one run printed. */
    private record Result(int exit, String out, String err) {
    }

    private static Result cli(boolean terminal, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
             var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = MigrationCli.run(args, o, e, terminal);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result cli(String... args) {
        return cli(false, args);
    }

    /** A config for a fixture, staging under {@code dir/out}, with Milvus at an address nothing listens on. */
    private Path config(String fixture) {
        return YamlConfig.faiss(fixture, dir.resolve("out"))
                .set("target.milvus2x.endpoint", UNREACHABLE)
                .write(dir);
    }

    private List<Path> dumped(String file) throws IOException {
        Path collection = dir.resolve("out").resolve("test1w");
        try (Stream<Path> files = Files.walk(collection)) {
            return files.filter(p -> p.getFileName().toString().equals(file))
                    .peek(p -> assertThat(collection.relativize(p).toString()).matches("w\\d+/group-\\d+/" + file))
                    .toList();
        }
    }

    /** Rows in a NumPy file: the first number of the header's shape. */
    private static long npyRows(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(10);
            assertThat(new String(head, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
            int major = head[6];
            int length = (head[8] & 0xff) | (head[9] & 0xff) << 8;
            if (major >= 2) {
                byte[] more = in.readNBytes(2);
                length |= (more[0] & 0xff) << 16 | (more[1] & 0xff) << 24;
            }
            String header = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
            Matcher m = Pattern.compile("'shape':\\s*\\((\\d+)").matcher(header);
            assertThat(m.find()).as("shape in %s", header).isTrue();
            return Long.parseLong(m.group(1));
        }
    }

    private long totalRows(String file) throws IOException {
        long rows = 0;
        for (Path p : dumped(file)) {
            rows += npyRows(p);
        }
        return rows;
    }

    @Test
    void dumpWritesNumpyFilesAndManifestWithoutMilvus() throws IOException {
        int rows = FaissFixtures.expected("flat_l2").rows().size();

        Result r = cli("dump", "--config", config("flat_l2").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("dump finished: " + rows + " rows read").contains("[test1w]");
        assertThat(dir.resolve("out/manifest.json")).isRegularFile();
        assertThat(dumped("id.npy")).isNotEmpty();
        assertThat(dumped("vector.npy")).hasSameSizeAs(dumped("id.npy"));
        assertThat(totalRows("id.npy")).isEqualTo(rows);
        assertThat(totalRows("vector.npy")).isEqualTo(rows);
    }

    @Test
    void configGivenWithEqualsSign() throws IOException {
        Result r = cli("dump", "--config=" + config("flat_ip"));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(totalRows("id.npy")).isEqualTo(FaissFixtures.expected("flat_ip").rows().size());
    }

    @Test
    void emptyIndexDumpsZeroRows() {
        Result r = cli("dump", "--config", config("empty_flat").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("dump finished: 0 rows read");
        assertThat(dir.resolve("out/manifest.json")).isRegularFile();
    }

    @Test
    void loadAgainstUnreachableMilvusFailsNamingTheEndpoint() {
        String config = config("flat_ip").toString();
        assertThat(cli("dump", "--config", config).exit()).isZero();

        Result r = cli("load", "--config", config);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("load failed").contains(UNREACHABLE);
        assertThat(r.err() + r.out()).doesNotContain(YamlConfig.PASSWORD);
    }

    @Test
    void configErrorExitsWithTwoNamingTheKey() {
        Path file = YamlConfig.faiss("flat_ip", dir.resolve("out"))
                .set("target.create.collection.nmae", "x").write(dir);

        Result r = cli("dump", "--config", file.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("target.create.collection.nmae").doesNotContain(YamlConfig.PASSWORD);
    }

    @Test
    void nonTerminalProgressIsPlainLines() {
        Result r = cli(false, "dump", "--config", config("flat_l2").toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).doesNotContain("\r").contains("READ test1w").contains("DONE test1w");
    }

    @Test
    void terminalProgressRedrawsInPlace() {
        Result r = cli(true, "dump", "--config", config("flat_l2").toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("\rREAD").contains("\rDONE").contains("100%");
    }

    @Test
    void noArgumentsIsAUsageError() {
        Result r = cli();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("usage: migration-cli");
    }

    @ParameterizedTest
    @ValueSource(strings = {"migrate --config x.yaml", "dump --verbose", "dump --config", "load --cfg x.yaml"})
    void unknownCommandOrFlagIsAUsageError(String args) {
        Result r = cli(args.split(" "));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("usage: migration-cli");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        Result r = cli("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("usage: migration-cli").contains("dump").contains("load").contains("start");
    }

    @Test
    void missingConfigFileExitsWithTwo() {
        Result r = cli("dump", "--config", dir.resolve("nowhere.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nowhere.yaml").contains("does not exist");
    }
}
