package io.milvus.migration.cli;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationPlan;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.VerifyOptions;
import io.milvus.migration.VerifyReport;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.milvus2.MilvusTargetFactory;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The commands that take a source and a target as URIs instead of a config: {@code migrate SOURCE TARGET} (and its
 * {@code --dry-run}), and {@code verify} with URIs or a config.
 */
final class OneLine {
    private OneLine() {
    }

    /** The parts of a one-line migration, closed together. */
    private static final class Parts implements AutoCloseable {
        final List<AutoCloseable> owned = new ArrayList<>();
        Migration.Builder builder = Migration.builder();

        @Override
        public void close() {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(OneLine.class).warn("cannot close {}", c, e);
                }
            }
        }
    }

    static int migrate(Map<String, String> options, PrintStream out, PrintStream err, boolean terminal, Path log) {
        if (!options.containsKey("arg1")) {
            return usage(err, "migrate", "migrate needs SOURCE and TARGET, such as faiss:/data/a.index"
                    + " milvus://127.0.0.1:19530/default/docs");
        }
        ProgressBar bar = null;
        try (Parts p = parts(options.get("arg0"), options.get("arg1"), options)) {
            if (options.containsKey("dryRun")) {
                MigrationPlan plan = p.builder.build().plan();
                out.print(describe(plan));
                return MigrationCli.OK;
            }
            Source source = p.builder.build().source().orElseThrow();
            double bytesPerRow = source.collections().stream().mapToLong(c -> c.schema().fields().stream()
                    .mapToLong(FieldSchema::bytesPerRow).sum()).max().orElse(0);
            bar = new ProgressBar(err, terminal, bytesPerRow);
            Migration migration = p.builder.listener(bar).build();
            MigrationReport report = migration.run();
            bar.finish();
            out.println(MigrationCli.summary(MigrationCli.COMMANDS.get("migrate"), report, bytesPerRow));
            if (options.containsKey("verify")) {
                return report(migration.verify(), out, err);
            }
            return MigrationCli.OK;
        } catch (MigrationException e) {
            if (bar != null) {
                bar.finish();
            }
            return MigrationCli.failed("migrate", e, err, log);
        } catch (RuntimeException e) {
            if (bar != null) {
                bar.finish();
            }
            return MigrationCli.failed("migrate", new MigrationException(ErrorCode.INTERNAL, "unexpected " + e, e),
                    err, log);
        }
    }

    static int verify(Map<String, String> options, Path config, boolean configGiven, PrintStream out,
                      PrintStream err, Path log) {
        try {
            var settings = VerifyOptions.builder();
            if (options.containsKey("sample")) {
                settings.sampleRows(number(options.get("sample"), "--sample"));
            }
            if (options.containsKey("queries")) {
                settings.queries(number(options.get("queries"), "--queries"));
            }
            VerifyOptions verifyOptions = settings.build();
            if (options.containsKey("arg0")) {
                if (configGiven || !options.containsKey("arg1")) {
                    return usage(err, "verify", configGiven ? "verify takes either --config or SOURCE and TARGET"
                            : "verify needs TARGET after SOURCE");
                }
                try (Parts p = parts(options.get("arg0"), options.get("arg1"), options)) {
                    return report(p.builder.build().verify(verifyOptions), out, err);
                }
            }
            try (MigrationYaml yaml = MigrationYaml.load(config, Migration.Verb.RUN)) {
                return report(yaml.migration(io.milvus.migration.ProgressListener.NONE).verify(verifyOptions), out,
                        err);
            }
        } catch (MigrationException e) {
            return MigrationCli.failed("verify", e, err, log);
        } catch (RuntimeException e) {
            return MigrationCli.failed("verify", new MigrationException(ErrorCode.INTERNAL, "unexpected " + e, e),
                    err, log);
        }
    }

    private static Parts parts(String sourceUri, String targetUri, Map<String, String> options) {
        var p = new Parts();
        try {
            URI target = uri(targetUri, "TARGET");
            p.builder.source(uri(sourceUri, "SOURCE"));
            p.owned.add(p.builder.build().source().orElseThrow());
            MilvusTarget.Builder t = MilvusTarget.builder(target);
            if (options.containsKey("staging")) {
                p.builder.staging(uri(options.get("staging"), "--staging"));
                Storage staging = p.builder.build().staging().orElseThrow();
                p.owned.add(staging);
            } else {
                t.bulkImport(false);
            }
            if (options.containsKey("index")) {
                t.createIndex(options.get("index"));
            }
            if (options.containsKey("noLoad")) {
                t.loadCollection(false);
            }
            if (options.containsKey("ifExists")) {
                String v = options.get("ifExists").toUpperCase(Locale.ROOT);
                try {
                    t.ifExists(MilvusTarget.IfExists.valueOf(v));
                } catch (IllegalArgumentException e) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "option --if-exists takes fail, append or"
                            + " recreate, found '" + options.get("ifExists") + "'");
                }
            }
            if (options.containsKey("job")) {
                p.builder.jobId(options.get("job"));
            }
            MilvusTarget built = t.build();
            p.owned.add(built);
            p.builder.target(built);
            new MilvusTargetFactory().collection(target).ifPresent(p.builder::collectionName);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private static URI uri(String text, String what) {
        try {
            URI u = new URI(text);
            if (u.getScheme() == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, what + " '" + text + "' is not a URI with a"
                        + " scheme, such as faiss:/data/a.index, milvus://127.0.0.1:19530/default/docs or"
                        + " file:/data/stage");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, what + " is not a URI: " + e.getReason());
        }
    }

    private static int number(String v, String option) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "option " + option + " takes a number, found '"
                    + v + "'");
        }
    }

    private static int usage(PrintStream err, String command, String problem) {
        err.println(MigrationCli.NAME + ": " + problem);
        err.println("Run '" + MigrationCli.NAME + " " + command + " --help' for its options.");
        return MigrationCli.USAGE;
    }

    /** Prints a verify report: a line per collection, then each failure; 0 when all passed, else 1. */
    static int report(VerifyReport report, PrintStream out, PrintStream err) {
        for (VerifyReport.Collection c : report.collections()) {
            out.printf(Locale.ROOT, "%s: rows source %s, target %s; sample %d/%d equal%s%s%n", c.name(),
                    rows(c.sourceRows()), rows(c.targetRows()), c.sampleMatched(), c.sampled(),
                    c.recall().isPresent() ? String.format(Locale.ROOT, "; recall@10 %.4f over %d queries",
                            c.recall().getAsDouble(), c.queries()) : "",
                    c.index().isEmpty() ? "" : " (index " + c.index() + ")");
        }
        for (String f : report.failures()) {
            err.println("verify failed: " + f);
        }
        out.println(report.passed() ? "verify passed" : "verify failed: " + report.failures().size()
                + " failed checks");
        return report.passed() ? MigrationCli.OK : MigrationCli.FAILED;
    }

    private static String rows(Map<String, Long> perPartition) {
        long total = perPartition.values().stream().mapToLong(Long::longValue).sum();
        if (perPartition.size() <= 1) {
            return String.valueOf(total);
        }
        var s = new StringBuilder().append(total).append(" (");
        perPartition.forEach((p, n) -> s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ")
                .append(p.isEmpty() ? "_default" : p).append(' ').append(n));
        return s.append(')').toString();
    }

    /** The plan as the dry run prints it. */
    static String describe(MigrationPlan plan) {
        var s = new StringBuilder();
        s.append("plan (dry run: nothing created, nothing written)\n");
        s.append("  source:  ").append(plan.source()).append('\n');
        s.append("  target:  ").append(plan.target().isEmpty() ? "-" : plan.target()).append('\n');
        s.append("  loading: ").append(plan.bulkImport() ? "bulk import of files staged in " + plan.staging()
                : "inserts").append('\n');
        for (MigrationPlan.Collection c : plan.collections()) {
            s.append("  collection ").append(c.schema().name());
            if (!c.sourceName().equals(c.schema().name())) {
                s.append(" (source ").append(c.sourceName()).append(')');
            }
            s.append('\n');
            s.append("    schema:      ");
            for (FieldSchema f : c.schema().fields()) {
                s.append(f == c.schema().fields().get(0) ? "" : ", ").append(f.name()).append(' ').append(f.type());
                if (f.dimension() > 0) {
                    s.append('(').append(f.dimension()).append(", ").append(f.metric()).append(')');
                }
                if (f.primaryKey()) {
                    s.append(" primary key");
                }
            }
            s.append('\n');
            s.append(String.format(Locale.ROOT, "    rows:        %d in %d splits, %s%n", c.rows(), c.splits(),
                    ProgressBar.rate(c.bytes()).replace("/s", "")));
            if (c.partitionRows().size() > 1 || !c.partitionRows().containsKey("")) {
                s.append("    partitions:  ").append(rows(c.partitionRows())).append('\n');
            }
            s.append(String.format(Locale.ROOT, "    file groups: %d, import jobs: %d%n", c.fileGroups(),
                    c.importJobs()));
            s.append("    index:       ").append(c.index().map(x -> x + " (matching the source's)")
                    .orElse("the target's default")).append("; --index overrides\n");
        }
        s.append(String.format(Locale.ROOT, "  total: %d rows, %d bytes, %d collections%n", plan.rows(), plan.bytes(),
                plan.collections().size()));
        return s.toString();
    }
}
