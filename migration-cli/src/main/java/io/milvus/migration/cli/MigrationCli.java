package io.milvus.migration.cli;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.server.MigrationServer;
import io.milvus.migration.spi.SkippedRow;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.IOException;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar migration-cli.jar <dump|load|start> [-c FILE]}, and {@code export [-c FILE] [-o FILE]} for a
 * Milvus 1.x catalogue, {@code serve} for the REST server; {@code --help} after any command lists its options and
 * defaults. Library log lines go to
 * {@code logs/migration.log} (appended; {@code --log-file} moves it) or, with {@code --verbose}, to the console.
 * Exit status 0 on success, 1 when the migration fails, 2 for a usage or configuration error.
 */
public final class MigrationCli {
    static final String NAME = "migration-cli";
    static final String DEFAULT_CONFIG = "configs/migration.yaml"; // where the Go tool looked by default
    static final String DEFAULT_LOG = "logs/migration.log";       // where the Go tool logged by default

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** An option: its names, the value it takes (null for a flag), its help line with the default. */
    private record Option(String key, String shortName, String longName, String value, String help) {
        String names() {
            String both = (shortName == null ? "    " : shortName + ", ") + longName;
            return value == null ? both : both + " " + value;
        }
    }

    private static final Option CONFIG = new Option("config", "-c", "--config", "FILE",
            "the migration.yaml to run (default: " + DEFAULT_CONFIG + ")");
    private static final Option VERBOSE = new Option("verbose", "-v", "--verbose", null,
            "write library log lines to the console instead of the log file");
    private static final Option LOG_FILE = new Option("logFile", null, "--log-file", "FILE",
            "append library log lines to FILE (default: " + DEFAULT_LOG + ")");
    private static final Option OUTPUT = new Option("output", "-o", "--output", "FILE",
            "where to write the catalogue (default: meta.json)");
    private static final Option HELP = new Option("help", "-h", "--help", null, "show this help and exit");
    private static final Option TABLE = new Option("table", "-t", "--table", "NAMES",
            "the Milvus 2.x collections to copy, comma-separated, instead of the config's (workMode milvus2x;"
            + " --col works too, as in the Go tool) (default: the config's meta.collection or collections)");
    private static final Option JOB = new Option("job", null, "--job", "ID",
            "name the job: its state is kept in the checkpoint store (checkpoint.*, default"
            + " migration-checkpoints.db) and the same command continues it after a crash or failure (default:"
            + " jobId of the config, else none)");
    private static final Option DROP = new Option("drop", null, "--drop", "ID", "forget job ID");
    private static final Option STAGING = new Option("staging", null, "--staging", "URI",
            "stage bulk files there and bulk import them (file:/dir where Milvus can read it, s3://bucket/prefix,"
            + " ...); without it rows are inserted (default: none)");
    private static final Option DRY_RUN = new Option("dryRun", null, "--dry-run", null,
            "print the plan (collections, schemas, splits, rows, bytes, file groups, import jobs) and touch nothing");
    private static final Option INDEX = new Option("index", null, "--index", "TYPE",
            "index to build, such as IVF_FLAT or HNSW, or none (default: the one matching the source's index)");
    private static final Option NO_LOAD = new Option("noLoad", null, "--no-load", null,
            "do not load the collection when done (default: load it)");
    private static final Option IF_EXISTS = new Option("ifExists", null, "--if-exists", "fail|append|recreate",
            "what to do when the collection exists (default: fail)");
    private static final Option VERIFY = new Option("verify", null, "--verify", null,
            "verify the migration when done, as the verify command does (default: no)");
    private static final Option SAMPLE = new Option("sample", null, "--sample", "N",
            "rows per collection compared field by field (default: 1000)");
    private static final Option QUERIES = new Option("queries", null, "--queries", "N",
            "query vectors per collection for the search check, 0 to skip it (default: 100)");

    /** A command: its name, what it does, and the options it takes. */
    record Command(String name, Migration.Verb verb, String summary, String description,
                           List<Option> options, List<String> arguments) {
        Command(String name, Migration.Verb verb, String summary, String description, List<Option> options) {
            this(name, verb, summary, description, options, List.of());
        }
    }

    private static final Option SERVER_CONFIG = new Option("config", "-c", "--config", "FILE",
            "the server.yaml (host, port, token, maxConcurrentJobs, onRestart, migrationConfig, checkpoint, ...;"
            + " default: none, the defaults below)");
    private static final Option PORT = new Option("port", "-p", "--port", "N",
            "the port to listen on, 0 for any free one (default: 8080, or port of the server.yaml)");
    private static final Option HOST = new Option("host", null, "--host", "ADDRESS",
            "the address to listen on (default: 127.0.0.1)");
    private static final Option NO_TOKEN = new Option("noToken", null, "--allow-loopback-without-token", null,
            "take requests without a token, from loopback only (default: the bearer token in MIGRATION_SERVER_TOKEN"
            + " or the server.yaml is required)");

    private static final Option PLUGINS = new Option("plugins", null, "--plugins", "DIR",
            "also find source and transform plug-ins (workMode, transforms:) in the jars in DIR, each jar with"
            + " what it needs beyond migration-api (default: the class path only)");

    private static final List<Option> MIGRATION_OPTIONS = List.of(CONFIG, JOB, TABLE, PLUGINS, VERBOSE, LOG_FILE,
            HELP);

    static final Map<String, Command> COMMANDS = commands(
            new Command("dump", Migration.Verb.DUMP, "read the source and write bulk files and manifest.json",
                    """
                    Reads the source (source.*) and writes Milvus bulk files and a manifest.json under
                    target.local.outputDir, or target.remote.outputDir in the bucket. Needs no Milvus.""",
                    MIGRATION_OPTIONS),
            new Command("load", Migration.Verb.LOAD, "import what dump wrote into Milvus",
                    """
                    Imports the bulk files that dump wrote under outputDir into Milvus (target.milvus2x),
                    creating the collection (target.create.collection), and checks the row count.""",
                    MIGRATION_OPTIONS),
            new Command("start", Migration.Verb.RUN, "dump and load in one go",
                    """
                    Reads the source, stages bulk files under outputDir and imports each file group into
                    Milvus as soon as it is written, checks the row count, then builds the index and loads the
                    collection if the config asks for it. Staged files are deleted once imported. With --job
                    (or jobId in the config) running the same command again after a kill, a crash or a
                    failure continues the job: nothing is read or imported twice.""",
                    MIGRATION_OPTIONS),
            new Command("migrate", null, "migrate SOURCE to TARGET in one line, without a config",
                    """
                    Migrates SOURCE (a URI: faiss:/data/a.index, or any URI a source on the class path reads)
                    into TARGET (milvus://[user[:password]@]host:port/database/collection; credentials missing
                    from the URI come from MILVUS_TOKEN or MILVUS_USER and MILVUS_PASSWORD, and are never
                    printed). The collection gets the index matching the source's and is loaded. With
                    --dry-run nothing is read but metadata and nothing is created or written.""",
                    List.of(STAGING, DRY_RUN, INDEX, NO_LOAD, IF_EXISTS, VERIFY, JOB, PLUGINS, VERBOSE, LOG_FILE,
                            HELP),
                    List.of("SOURCE", "TARGET")),
            new Command("verify", null, "check the target against the source",
                    """
                    Compares Milvus (target.milvus2x) with the source of the config, or SOURCE with TARGET as
                    migrate takes them: rows per collection and partition, a sample of rows field by field
                    (read back by id), and for the search check query vectors from the source, top-10 by exact
                    search over the source's vectors against Milvus's search (every IVF list probed), recall@10
                    reported. The collection must have an index (migrations build one by default). Exits 1
                    naming the collection, partition or id when a check fails.""",
                    List.of(CONFIG, SAMPLE, QUERIES, PLUGINS, VERBOSE, LOG_FILE, HELP), List.of("[SOURCE",
                            "TARGET]")),
            new Command("jobs", null, "list the jobs of the checkpoint store",
                    """
                    Lists the jobs kept in the config's checkpoint store (checkpoint.*, default
                    migration-checkpoints.db) with their state and progress; --drop ID forgets one (its staged
                    files and collections stay as they are).""",
                    List.of(CONFIG, DROP, VERBOSE, LOG_FILE, HELP)),
            new Command("serve", null, "run the REST server for migration jobs",
                    """
                    Serves the job API (/api/v2/jobs: submit a migration.yaml, list, watch, cancel, resume),
                    the Go tool's /api/v1 endpoints and a job page at /, until stopped. Jobs are kept in the
                    checkpoint store (default migration-checkpoints.db), so a restarted server lists them and
                    resumes the ones that were running. Requests need Authorization: Bearer with the token of
                    MIGRATION_SERVER_TOKEN or the server.yaml.""",
                    List.of(SERVER_CONFIG, PORT, HOST, NO_TOKEN, PLUGINS, VERBOSE, LOG_FILE, HELP)),
            new Command("export", null, "write a Milvus 1.x catalogue as the Go tool's meta.json",
                    """
                    Reads the Milvus 1.x catalogue of a milvus1x config (meta.mode sqlite or mysql) and writes
                    it as the Go tool's meta.json, for moving the data directory before the catalogue.""",
                    List.of(CONFIG, OUTPUT, VERBOSE, LOG_FILE, HELP)));

    private static Map<String, Command> commands(Command... commands) {
        var map = new LinkedHashMap<String, Command>();
        for (Command c : commands) {
            map.put(c.name(), c);
        }
        return map;
    }

    private MigrationCli() {
    }

    /** Runs the command line and exits the JVM with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Terminal.stderrIsTerminal(),
                Path.of("").toAbsolutePath()));
    }

    /**
     * Runs the command line; returns the exit status. Progress and errors go to {@code err}, help and the summary
     * line to {@code out}; relative paths (the default config and log file) resolve against {@code workingDir}.
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal, Path workingDir) {
        List<String> list = List.of(args);
        if (list.isEmpty()) {
            err.print(overview());
            return USAGE;
        }
        String first = list.get(0);
        if (list.size() == 1 && (first.equals("--version") || first.equals("-V"))) {
            out.println("milvus-migration " + version());
            return OK;
        }
        if (first.equals("-h") || first.equals("--help") || first.equals("help")) {
            if (list.size() > 1 && COMMANDS.containsKey(list.get(1))) {
                out.print(help(COMMANDS.get(list.get(1))));
            } else if (list.size() > 1) {
                return usageError(err, null, "unknown command '" + list.get(1) + "'");
            } else {
                out.print(overview());
            }
            return OK;
        }
        Command command = COMMANDS.get(first);
        if (command == null) {
            return usageError(err, null, first.startsWith("-") ? "a command comes first, found '" + first + "'"
                    : "unknown command '" + first + "'");
        }
        Map<String, String> options;
        try {
            options = parse(command, list.subList(1, list.size()));
        } catch (IllegalArgumentException e) {
            return usageError(err, command, e.getMessage());
        }
        if (options.containsKey(HELP.key())) {
            out.print(help(command));
            return OK;
        }
        Path config = workingDir.resolve(options.getOrDefault(CONFIG.key(), DEFAULT_CONFIG));
        Path logFile = workingDir.resolve(options.getOrDefault(LOG_FILE.key(), DEFAULT_LOG)).normalize();
        boolean verbose = options.containsKey(VERBOSE.key());
        if (verbose) {
            CliLog.toConsole(err);
        } else {
            CliLog.toFile(logFile, "---- " + NAME + " " + String.join(" ", list) + " (pid "
                    + ProcessHandle.current().pid() + ")", err);
        }
        Path log = verbose ? null : logFile;
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        URLClassLoader plugins = null;
        try {
            if (options.containsKey(PLUGINS.key())) {
                try {
                    plugins = pluginLoader(workingDir.resolve(options.get(PLUGINS.key())));
                } catch (IllegalArgumentException e) {
                    return usageError(err, command, e.getMessage());
                }
                // the YAML and the migration's builder find plug-ins through the context class loader
                thread.setContextClassLoader(plugins);
            }
            if (command.name().equals("migrate")) {
                return OneLine.migrate(options, out, err, terminal && !verbose, log);
            }
            if (command.name().equals("verify")) {
                return OneLine.verify(options, config, options.containsKey(CONFIG.key()), out, err, log);
            }
            if (command.name().equals("serve")) {
                return serve(options, workingDir, out, err, log);
            }
            if (command.name().equals("jobs")) {
                return jobs(config, options.get(DROP.key()), out, err, log);
            }
            if (command.verb() == null) {
                return export(config, workingDir.resolve(options.getOrDefault(OUTPUT.key(), "meta.json")), out, err,
                        log);
            }
            List<String> tables = options.containsKey(TABLE.key()) ? java.util.Arrays.stream(options.get(TABLE.key())
                    .split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList() : List.of();
            return migrate(command, config, options.get(JOB.key()), tables, out, err, terminal && !verbose, log);
        } finally {
            thread.setContextClassLoader(context);
            if (plugins != null) {
                try {
                    plugins.close();
                } catch (IOException e) {
                    org.slf4j.LoggerFactory.getLogger(MigrationCli.class).warn("cannot close the plug-in jars", e);
                }
            }
            CliLog.reset();
        }
    }

    /**
     * A class loader over the jars in {@code dir} (in name order), child of the command line's own, so plug-ins
     * see the API and the engine of this jar.
     *
     * @throws IllegalArgumentException naming the directory if it is missing or holds no jar
     */
    static URLClassLoader pluginLoader(Path dir) {
        List<Path> jars;
        try (var list = Files.list(dir)) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("option --plugins: cannot list directory " + dir + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (jars.isEmpty()) {
            throw new IllegalArgumentException("option --plugins: directory " + dir + " holds no .jar file");
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("option --plugins: cannot read " + jars.get(i));
            }
        }
        org.slf4j.LoggerFactory.getLogger(MigrationCli.class).info("plug-in jars: {}", jars);
        return new URLClassLoader("plugins", urls, MigrationCli.class.getClassLoader());
    }

    /** Runs a migration verb; {@code log} is the log file, null when logging to the console. */
    private static int migrate(Command command, Path config, String job, List<String> tables, PrintStream out,
                               PrintStream err, boolean terminal, Path log) {
        ProgressBar bar = null;
        try (MigrationYaml yaml = MigrationYaml.load(config, command.verb(), tables)) {
            if (job != null) {
                yaml.jobId(job);
            }
            bar = new ProgressBar(err, terminal, yaml.bytesPerRow());
            MigrationReport report = yaml.migration(bar).execute(command.verb());
            bar.finish();
            int warnings = CliLog.warnings();
            out.println(summary(command, report, yaml.bytesPerRow()) + (warnings == 0 || log == null ? ""
                    : " (" + warnings + (warnings == 1 ? " warning" : " warnings") + " in " + log + ")"));
            return OK;
        } catch (MigrationException e) {
            return failed(command, e, bar, err, log);
        } catch (RuntimeException e) {
            // a bug rather than bad input: the console gets one line, the log the stack trace
            return failed(command, new MigrationException(ErrorCode.INTERNAL, "unexpected " + e, e), bar, err, log);
        }
    }

    static int failed(String command, MigrationException e, PrintStream err, Path log) {
        return failed(COMMANDS.get(command), e, null, err, log);
    }

    private static int failed(Command command, MigrationException e, ProgressBar bar, PrintStream err, Path log) {
        if (bar != null) {
            bar.finish();
        }
        err.println(command.name() + " failed: " + e.getMessage());
        if (e.code() == ErrorCode.INVALID_CONFIG) {
            return USAGE;
        }
        org.slf4j.LoggerFactory.getLogger(MigrationCli.class).error("{} failed", command.name(), e);
        if (log != null) {
            err.println("The library's log is in " + log);
        }
        return FAILED;
    }

    /** One line: rows, collections, files, time and rate. */
    static String summary(Command command, MigrationReport report, double bytesPerRow) {
        double seconds = report.elapsed().toNanos() / 1e9;
        String rate = bytesPerRow > 0 && seconds > 0 && report.rowsRead() > 0
                ? ", " + ProgressBar.rate(report.rowsRead() * bytesPerRow / seconds) : "";
        String skipped = report.rowsSkipped() == 0 ? "" : String.format(Locale.ROOT, ", %d rows skipped (%s%s)",
                report.rowsSkipped(), String.join(", ", report.skipped().stream().limit(5).map(SkippedRow::id)
                        .toList()), report.rowsSkipped() > 5 ? ", ... (the log names every one)" : "");
        return String.format(Locale.ROOT, "%s finished: %d rows read, %d rows loaded%s, collections %s, %d files"
                        + " staged%s, %.1f s%s", command.name(), report.rowsRead(), report.rowsLoaded(), skipped,
                report.collections(), report.stagedFiles().size(),
                report.staging().isEmpty() ? "" : " in " + report.staging(), seconds, rate);
    }

    private static int jobs(Path config, String drop, PrintStream out, PrintStream err, Path log) {
        try (var store = MigrationYaml.checkpointStore(config)) {
            if (drop != null) {
                boolean known = io.milvus.migration.core.Jobs.drop(store, drop);
                out.println(known ? "job " + drop + " dropped from " + store.describe()
                        : "no job " + drop + " in " + store.describe());
                return known ? OK : FAILED;
            }
            var all = io.milvus.migration.core.Jobs.list(store);
            if (all.isEmpty()) {
                out.println("no jobs in " + store.describe());
            }
            for (var j : all) {
                out.printf("%s  %s  %s  attempts %d  updated %s%s%n", j.id(), j.verb(), j.state(), j.attempts(),
                        j.updated(), j.error().isEmpty() ? "" : "  last error: " + j.error());
                for (var c : j.collections()) {
                    out.printf("    %s: splits %d/%d, rows read %d, imported %d, groups %d/%d imported%s%n",
                            c.name(), c.splitsDone(), c.splitsTotal(), c.rowsRead(), c.rowsImported(),
                            c.groupsImported(), c.groupsStaged(), c.completed() ? ", complete" : "");
                }
            }
            return OK;
        } catch (MigrationException e) {
            return failed(COMMANDS.get("jobs"), e, null, err, log);
        }
    }

    /** Runs the server until the JVM is stopped. */
    private static int serve(Map<String, String> options, Path workingDir, PrintStream out, PrintStream err,
                             Path log) {
        try {
            var b = options.containsKey(SERVER_CONFIG.key())
                    ? MigrationServer.builder(workingDir.resolve(options.get(SERVER_CONFIG.key())))
                    : MigrationServer.builder().token(System.getenv("MIGRATION_SERVER_TOKEN"))
                            .checkpointFile(workingDir.resolve("migration-checkpoints.db"));
            if (options.containsKey(PORT.key())) {
                try {
                    b.port(Integer.parseInt(options.get(PORT.key())));
                } catch (NumberFormatException e) {
                    return usageError(err, COMMANDS.get("serve"), "option --port takes a number, found '"
                            + options.get(PORT.key()) + "'");
                }
            }
            if (options.containsKey(HOST.key())) {
                b.host(options.get(HOST.key()));
            }
            if (options.containsKey(NO_TOKEN.key())) {
                b.allowLoopbackWithoutToken(true);
            }
            MigrationServer server = b.build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "migration-server-stop"));
            out.println("migration server listening on " + server.url());
            out.flush();
            server.join();
            return OK;
        } catch (MigrationException e) {
            return failed(COMMANDS.get("serve"), e, null, err, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private static int export(Path config, Path output, PrintStream out, PrintStream err, Path log) {
        try {
            Map<String, Long> written = io.milvus.migration.milvus1.Milvus1SourceFactory.writeMetaJson(
                    MigrationYaml.metaExportSettings(config, io.milvus.migration.milvus1.Milvus1Settings.class),
                    output);
            out.printf("export finished: %s written with %d collections %s, %d rows%n", output, written.size(),
                    written.keySet(), written.values().stream().mapToLong(Long::longValue).sum());
            return OK;
        } catch (MigrationException e) {
            return failed(COMMANDS.get("export"), e, null, err, log);
        }
    }

    /**
     * The options given to {@code command}: {@code --name VALUE}, {@code --name=VALUE}, {@code -c VALUE},
     * flags without a value; keyed by {@link Option#key()}, flags mapped to "".
     *
     * @throws IllegalArgumentException naming the argument at fault
     */
    private static Map<String, String> parse(Command command, List<String> args) {
        var given = new LinkedHashMap<String, String>();
        int positional = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") && positional < command.arguments().size()) {
                given.put("arg" + positional++, arg);
                continue;
            }
            int eq = arg.startsWith("-") ? arg.indexOf('=') : -1; // --name=value, and -t=value as the Go tool takes
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Option option = command.options().stream()
                    .filter(o -> name.equals(o.longName()) || name.equals(o.shortName())
                            || o == TABLE && name.equals("--col")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(arg.startsWith("-")
                            ? "unknown option '" + name + "' for " + command.name()
                            : "unexpected argument '" + arg + "'"));
            String value;
            if (option.value() == null) {
                if (eq >= 0) {
                    throw new IllegalArgumentException("option " + name + " takes no value");
                }
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("option " + name + " needs a value: " + name + " "
                        + option.value());
            }
            if (option.value() != null && value.isBlank()) {
                throw new IllegalArgumentException("option " + name + " needs a value: " + name + " "
                        + option.value());
            }
            if (given.put(option.key(), value) != null && option != HELP && option != VERBOSE) {
                throw new IllegalArgumentException("option " + name + " is given twice");
            }
        }
        return given;
    }

    private static int usageError(PrintStream err, Command command, String problem) {
        err.println(NAME + ": " + problem);
        if (command == null) {
            err.print(overview());
        } else {
            err.println(usageLine(command));
            err.println("Run '" + NAME + " " + command.name() + " --help' for its options.");
        }
        return USAGE;
    }

    private static String usageLine(Command command) {
        var s = new StringBuilder("usage: " + NAME + " " + command.name());
        command.arguments().forEach(a -> s.append(' ').append(a));
        for (Option o : command.options()) {
            if (o != HELP) {
                s.append(" [").append(o.shortName() != null ? o.shortName() : o.longName())
                        .append(o.value() == null ? "" : " " + o.value()).append(']');
            }
        }
        return s.toString();
    }

    static String overview() {
        var s = new StringBuilder("usage: " + NAME + " <command> [options]\n\ncommands:\n");
        COMMANDS.values().forEach(c -> s.append(String.format(Locale.ROOT, "  %-8s %s%n", c.name(), c.summary())));
        s.append("\nRun '").append(NAME).append(" <command> --help' for a command's options.\n")
                .append("Exit status: 0 done, 1 the migration failed, 2 usage or configuration error.\n")
                .append("'").append(NAME).append(" --version' prints the version.\n");
        return s.toString();
    }

    private static String help(Command command) {
        var s = new StringBuilder(usageLine(command)).append("\n\n").append(command.description())
                .append("\n\noptions:\n");
        for (Option o : command.options()) {
            s.append(String.format(Locale.ROOT, "  %-21s %s%n", o.names(), o.help()));
        }
        s.append("\nExit status: 0 done, 1 the migration failed, 2 usage or configuration error.\n");
        return s.toString();
    }

    /** This build's version, from the resource Maven fills in; "unknown" when run from unpackaged classes. */
    static String version() {
        try (var in = MigrationCli.class.getResourceAsStream("version.txt")) {
            String v = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Whether standard error is a terminal, so that a progress bar can be redrawn in place. */
    static final class Terminal {
        private Terminal() {
        }

        static boolean stderrIsTerminal() {
            if (System.console() == null || "dumb".equals(System.getenv("TERM"))) {
                return false;
            }
            // System.console() looks at stdin and stdout; the bar goes to stderr, so check it too where we can
            Path fd2 = Path.of("/proc/self/fd/2");
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
                return true; // no /proc (not Linux): trust System.console()
            }
        }
    }
}
