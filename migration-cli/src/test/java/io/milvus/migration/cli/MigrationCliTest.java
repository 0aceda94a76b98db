package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.yaml.MigrationYaml;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationCliTest {
    private static final String UNREACHABLE = "127.0.0.1:1";
    /** A library log line: date, time, level, thread, one of our loggers. */
    private static final Pattern LIBRARY_LINE = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) \\[[^]]+] io\\.milvus\\.migration\\.");

    @TempDir
    Path dir;

    /** Exit status and what one run printed. */
    private record Result(int exit, String out, String err) {
    }

    private Result cli(boolean terminal, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
             var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = MigrationCli.run(args, o, e, terminal, dir); // dir as working directory: logs/ goes there
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result cli(String... args) {
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
        assertThat(r.err()).contains("load failed").contains(UNREACHABLE)
                .contains("The library's log is in " + dir.resolve("logs/migration.log"));
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
        assertThat(r.err()).doesNotContain("\r").contains("READ     test1w:").contains("rows");
        assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(6);
    }

    @Test
    void terminalProgressRedrawsInPlaceWithRateAndEndsTheLine() {
        Result r = cli(true, "dump", "--config", config("flat_l2").toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("\rREAD").contains("100%").contains("MB/s").endsWith(System.lineSeparator());
        assertThat(r.out()).startsWith("dump finished");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void noEscapeSequencesAnywhere(boolean terminal) throws IOException {
        Result ok = cli(terminal, "dump", "-c", config("flat_l2").toString());
        Result bad = cli(terminal, "dump", "-c", truncatedSourceConfig().toString());
        Result help = cli(terminal, "start", "--help");

        for (Result r : List.of(ok, bad, help)) {
            assertThat(r.out() + r.err()).doesNotContain("\u001b");
        }
    }

    @Test
    void quietByDefaultLibraryLogGoesToLogsMigrationLog() throws IOException {
        Result r = cli("dump", "--config", config("flat_l2").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).singleElement().asString().startsWith("dump finished: 1000 rows read");
        assertThat(r.out() + r.err()).doesNotContain("io.milvus.migration.").doesNotContain(" INFO ");
        Path log = dir.resolve("logs/migration.log");
        assertThat(log).isRegularFile();
        String text = Files.readString(log);
        assertThat(text).startsWith("---- migration-cli dump --config ");
        assertThat(text.lines()).anyMatch(l -> LIBRARY_LINE.matcher(l).find());
    }

    @Test
    void logFileIsAppendedRunAfterRun() throws IOException {
        String config = config("flat_l2").toString();
        assertThat(cli("dump", "--config", config).exit()).isZero();
        assertThat(cli("dump", "--config", config).exit()).isZero();

        assertThat(Files.readString(dir.resolve("logs/migration.log")).lines()
                .filter(l -> l.startsWith("---- migration-cli dump"))).hasSize(2);
    }

    @Test
    void verboseSendsLibraryLogToTheConsoleAndWritesNoFile() {
        Result r = cli("dump", "--verbose", "--config", config("flat_l2").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err().lines()).anyMatch(l -> LIBRARY_LINE.matcher(l).find());
        assertThat(r.out()).startsWith("dump finished");
        assertThat(dir.resolve("logs")).doesNotExist();
    }

    @Test
    void logFileOptionMovesTheLog() throws IOException {
        Result r = cli("dump", "--log-file", "elsewhere/run.log", "-c", config("flat_l2").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(dir.resolve("logs")).doesNotExist();
        assertThat(Files.readString(dir.resolve("elsewhere/run.log")).lines())
                .anyMatch(l -> LIBRARY_LINE.matcher(l).find());
    }

    /** A config whose Faiss file is cut in half: the dump fails fast with exit status 1. */
    private Path truncatedSourceConfig() throws IOException {
        byte[] whole = Files.readAllBytes(FaissFixtures.index("flat_l2"));
        Path half = Files.write(dir.resolve("half.index"), java.util.Arrays.copyOf(whole, whole.length / 2));
        return YamlConfig.faiss("flat_l2", dir.resolve("out")).set("source.local.faissFile", half.toString())
                .write(dir);
    }

    @Test
    void failedRunSaysWhatAndPointsToTheLogFile() throws IOException {
        Result r = cli("dump", "-c", truncatedSourceConfig().toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("dump failed: ").contains("half.index")
                .contains("The library's log is in " + dir.resolve("logs/migration.log"));
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(dir.resolve("logs/migration.log"))).as("the failure with its stack trace")
                .contains("ERROR [main] io.milvus.migration.cli.MigrationCli - dump failed")
                .contains("io.milvus.migration.MigrationException: ").contains("\tat io.milvus.migration.");
    }

    @Test
    void javaUtilLoggingIsRoutedToTheLogFileToo() throws IOException {
        Path log = dir.resolve("jul.log");
        var err = new ByteArrayOutputStream();
        CliLog.toFile(log, "---- test", new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            java.util.logging.Logger.getLogger("io.grpc.Test").warning("channel closed");
            java.util.logging.Logger.getLogger("io.grpc.Test").fine("too detailed");
        } finally {
            CliLog.reset();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(log)).contains("WARN").contains("io.grpc.Test - channel closed")
                .doesNotContain("too detailed");
    }

    @Test
    void noArgumentsIsAUsageError() {
        Result r = cli();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("usage: migration-cli");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "migrat --config x.yaml  | unknown command 'migrat'",
            "--config x.yaml dump    | a command comes first, found '--config'",
            "dump --config           | option --config needs a value: --config FILE",
            "dump -c                 | option -c needs a value",
            "dump --config=          | option --config needs a value",
            "load --cfg x.yaml       | unknown option '--cfg' for load",
            "dump x.yaml             | unexpected argument 'x.yaml'",
            "dump -c a.yaml -c b.yml | option -c is given twice",
            "dump --verbose=yes      | option --verbose takes no value",
            "dump --output m.json    | unknown option '--output' for dump",
            "help frobnicate         | unknown command 'frobnicate'",
            "migrate a b c           | unexpected argument 'c'",
            "migrate a b --config x  | unknown option '--config' for migrate"})
    void usageErrorsExitWithTwoAndSayWhatIsWrong(String args, String problem) {
        Result r = cli(args.trim().split(" +"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("migration-cli: " + problem).contains("usage: migration-cli");
        assertThat(r.out()).isEmpty();
        assertThat(dir.resolve("logs")).doesNotExist();
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        Result r = cli("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("usage: migration-cli").contains("dump").contains("load").contains("start")
                .contains("export").contains("--help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "load", "start", "export"})
    void everyCommandHasHelpWithItsOptionsAndDefaults(String command) {
        for (String[] args : List.of(new String[] {command, "--help"}, new String[] {command, "-h"},
                new String[] {"help", command}, new String[] {command, "-c", "x.yaml", "--help"})) {
            Result r = cli(args);
            assertThat(r.exit()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).startsWith("usage: migration-cli " + command)
                    .contains("-c, --config FILE").contains("default: configs/migration.yaml")
                    .contains("-v, --verbose").contains("--log-file FILE").contains("default: logs/migration.log")
                    .contains("-h, --help");
        }
        assertThat(dir.resolve("logs")).doesNotExist();
    }

    @Test
    void exportHelpNamesItsOutputDefault() {
        assertThat(cli("export", "--help").out()).contains("-o, --output FILE").contains("default: meta.json");
    }

    @Test
    void shortConfigOptionWorks() throws IOException {
        Result r = cli("dump", "-c", config("flat_ip").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(totalRows("id.npy")).isEqualTo(FaissFixtures.expected("flat_ip").rows().size());
    }

    @Test
    void defaultConfigIsConfigsMigrationYamlInTheWorkingDirectory() throws IOException {
        Path config = config("flat_l2");
        Files.createDirectories(dir.resolve("configs"));
        Files.move(config, dir.resolve("configs/migration.yaml"));

        Result r = cli("dump");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("dump finished: 1000 rows read");
    }

    @Test
    void missingConfigFileExitsWithTwo() {
        Result r = cli("dump", "--config", dir.resolve("nowhere.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nowhere.yaml").contains("does not exist");
    }

    @Test
    void serveHasHelpAndRefusesBadSettingsWithStatus2() throws IOException {
        assertThat(cli("serve", "--help").out()).contains("-p, --port N").contains("--allow-loopback-without-token")
                .contains("MIGRATION_SERVER_TOKEN").contains("default: 8080");
        assertThat(cli("--help").out()).contains("serve");
        Result port = cli("serve", "--port", "eighty");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).contains("--port");
        Path yaml = dir.resolve("server.yaml");
        Files.writeString(yaml, "port: 0\ntoken: cli-t0ken\nthreads: 9\n");
        Result bad = cli("serve", "-c", yaml.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'threads'").doesNotContain("cli-t0ken");
        Result noToken = cli("serve", "--port", "0", "--host", "0.0.0.0", "--allow-loopback-without-token");
        assertThat(noToken.exit()).isEqualTo(2);
        assertThat(noToken.err()).contains("loopback");
    }

    @Test
    void pluginsNamesADirectoryOfJars() throws IOException {
        Path config = config("flat_l2");
        Result missing = cli("start", "-c", config.toString(), "--plugins", "no-such-dir");
        assertThat(missing.exit()).isEqualTo(MigrationCli.USAGE);
        assertThat(missing.err()).contains("option --plugins: cannot list directory " + dir.resolve("no-such-dir"));
        Files.createDirectories(dir.resolve("empty"));
        Result empty = cli("dump", "-c", config.toString(), "--plugins", "empty");
        assertThat(empty.exit()).isEqualTo(MigrationCli.USAGE);
        assertThat(empty.err()).contains("option --plugins: directory " + dir.resolve("empty") + " holds no .jar file");
        assertThat(cli("start", "--help").out()).contains("--plugins DIR");
    }
}
