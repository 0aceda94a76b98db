package io.milvus.migration.cli;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar migration-cli.jar <dump|load|start> --config migration.yaml}, and
 * {@code export --config migration.yaml [--output meta.json]} for a Milvus 1.x catalogue. Exit status 0 on
 * success, 1 when the migration fails, 2 for a usage or configuration error.
 */
public final class MigrationCli {
    private static final String USAGE = """
            usage: migration-cli <command> --config FILE
              dump    read the source and write bulk files (and manifest.json) under target.local.outputDir
              load    import what dump wrote into Milvus (target.milvus2x)
              start   dump and load in one go
              export  write the Milvus 1.x catalogue (meta.mode sqlite or mysql) as the Go tool's meta.json
                      (--output FILE, default meta.json), for moving the data directory before the catalogue
            --version prints the version
            """;

    private MigrationCli() {
    }

    /** Runs the command line and exits the JVM with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.console() != null));
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        List<String> list = List.of(args);
        if (list.size() == 1 && (list.get(0).equals("--version") || list.get(0).equals("-V"))) {
            out.println("milvus-migration " + version());
            return 0;
        }
        if (list.isEmpty() || list.contains("-h") || list.contains("--help")) {
            (list.isEmpty() ? err : out).print(USAGE);
            return list.isEmpty() ? 2 : 0;
        }
        Migration.Verb verb = switch (list.get(0)) {
            case "dump" -> Migration.Verb.DUMP;
            case "load" -> Migration.Verb.LOAD;
            case "start" -> Migration.Verb.RUN;
            default -> null;
        };
        boolean export = list.get(0).equals("export");
        String config = null;
        String output = null;
        boolean bad = verb == null && !export;
        for (int i = 1; i < list.size(); i++) {
            String a = list.get(i);
            if (a.equals("--config") && i + 1 < list.size()) {
                config = list.get(++i);
            } else if (a.startsWith("--config=")) {
                config = a.substring("--config=".length());
            } else if (export && a.equals("--output") && i + 1 < list.size()) {
                output = list.get(++i);
            } else if (export && a.startsWith("--output=")) {
                output = a.substring("--output=".length());
            } else {
                bad = true;
            }
        }
        if (bad) {
            err.print("unknown command or argument in " + list + "\n" + USAGE);
            return 2;
        }
        if (config == null) {
            config = "configs/migration.yaml"; // where the Go tool looked by default
        }
        if (export) {
            return export(Path.of(config), Path.of(output == null ? "meta.json" : output), out, err);
        }
        try (MigrationYaml yaml = MigrationYaml.load(Path.of(config), verb)) {
            MigrationReport report = yaml.migration(new ProgressBar(err, terminal)).execute(verb);
            out.printf("%s finished: %d rows read, %d rows loaded, collections %s, %d files staged%s, %.1f s%n",
                    list.get(0), report.rowsRead(), report.rowsLoaded(), report.collections(),
                    report.stagedFiles().size(), report.staging().isEmpty() ? "" : " in " + report.staging(),
                    report.elapsed().toMillis() / 1000.0);
            return 0;
        } catch (MigrationException e) {
            err.println();
            err.println(list.get(0) + " failed: " + e.getMessage());
            return e.code() == io.milvus.migration.ErrorCode.INVALID_CONFIG ? 2 : 1;
        }
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

    private static int export(Path config, Path output, PrintStream out, PrintStream err) {
        try {
            Map<String, Long> written = MigrationYaml.exportMetaJson(config, output);
            out.printf("export finished: %s written with %d collections %s, %d rows%n", output, written.size(),
                    written.keySet(), written.values().stream().mapToLong(Long::longValue).sum());
            return 0;
        } catch (MigrationException e) {
            err.println("export failed: " + e.getMessage());
            return e.code() == io.milvus.migration.ErrorCode.INVALID_CONFIG ? 2 : 1;
        }
    }
}
