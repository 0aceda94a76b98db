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
            usage: migration-cli <command> --config FILE [--job ID]
              dump    read the source and write bulk files (and manifest.json) under target.local.outputDir
              load    import what dump wrote into Milvus (target.milvus2x)
              start   dump and load in one go, importing file groups while reading goes on; with --job ID (or
                      jobId in the config) the job's state is kept in the checkpoint store and running the same
                      command again continues it after a crash, a kill or a failure
              jobs    list the jobs of the config's checkpoint store with their state and progress
                      (--drop ID forgets one)
              export  write the Milvus 1.x catalogue (meta.mode sqlite or mysql) as the Go tool's meta.json
                      (--output FILE, default meta.json), for moving the data directory before the catalogue
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
        boolean jobs = list.get(0).equals("jobs");
        String config = null;
        String output = null;
        String job = null;
        String drop = null;
        boolean bad = verb == null && !export && !jobs;
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
            } else if (verb != null && a.equals("--job") && i + 1 < list.size()) {
                job = list.get(++i);
            } else if (verb != null && a.startsWith("--job=")) {
                job = a.substring("--job=".length());
            } else if (jobs && a.equals("--drop") && i + 1 < list.size()) {
                drop = list.get(++i);
            } else if (jobs && a.startsWith("--drop=")) {
                drop = a.substring("--drop=".length());
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
        if (jobs) {
            return jobs(Path.of(config), drop, out, err);
        }
        try (MigrationYaml yaml = MigrationYaml.load(Path.of(config), verb)) {
            if (job != null) {
                yaml.jobId(job);
            }
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

    private static int jobs(Path config, String drop, PrintStream out, PrintStream err) {
        try (var store = MigrationYaml.checkpointStore(config)) {
            if (drop != null) {
                boolean known = io.milvus.migration.core.Jobs.drop(store, drop);
                out.println(known ? "job " + drop + " dropped from " + store.describe()
                        : "no job " + drop + " in " + store.describe());
                return known ? 0 : 1;
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
            return 0;
        } catch (MigrationException e) {
            err.println("jobs failed: " + e.getMessage());
            return e.code() == io.milvus.migration.ErrorCode.INVALID_CONFIG ? 2 : 1;
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
