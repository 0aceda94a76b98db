package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressEvent;
import io.milvus.migration.ProgressEvent.Stage;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.MigrationEngine;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Source.SourceCollection;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.TargetCollection;
import io.milvus.migration.spi.Transform;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link Migration}'s verbs; found by {@link java.util.ServiceLoader}. Stateless: every call works
 * on its own migration.
 */
public final class DefaultMigrationEngine implements MigrationEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultMigrationEngine.class);

    /** Called by {@link java.util.ServiceLoader}. */
    public DefaultMigrationEngine() {
    }

    @Override
    public MigrationReport execute(Migration migration, Migration.Verb verb) {
        long start = System.nanoTime();
        LOG.info("{} {}", verb, migration);
        var result = new Totals();
        switch (verb) {
            case RUN -> run(migration, result);
            case DUMP -> dump(migration, result);
            case LOAD -> load(migration, result);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        var report = new MigrationReport(result.rowsRead, result.rowsLoaded, result.collections, result.files,
                result.staging, elapsed);
        emit(migration, new ProgressEvent(Stage.DONE, String.join(",", result.collections),
                verb == Migration.Verb.DUMP ? result.rowsRead : result.rowsLoaded, result.rowsRead, ""));
        LOG.info("{} done: {} rows read, {} rows loaded, {} collections, {} files, {} ms", verb, result.rowsRead,
                result.rowsLoaded, result.collections.size(), result.files.size(), elapsed.toMillis());
        return report;
    }

    private void run(Migration m, Totals totals) {
        Source source = m.source().orElseThrow();
        Target target = m.target().orElseThrow();
        String runPrefix = key(m.stagingPrefix(), "run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000)));
        for (SourceCollection sc : source.collections()) {
            CollectionSchema schema = targetSchema(m, sc);
            totals.collections.add(schema.name());
            TargetCollection tc = target.open(schema);
            if (target.bulkImport()) {
                Storage staging = m.staging().orElseThrow();
                String prefix = key(runPrefix, schema.name());
                totals.staging = staging.describe() + "/" + runPrefix;
                List<BulkFileGroup> groups;
                try {
                    groups = new SplitReading(m, source, sc, schema).toFiles(staging, prefix);
                } catch (RuntimeException e) {
                    tc.abort(e);
                    staging.deletePrefix(prefix + "/");
                    throw e;
                }
                long rows = rowsOf(groups);
                totals.rowsRead += rows;
                groups.forEach(g -> totals.files.addAll(g.keys()));
                try {
                    importAndComplete(m, staging, tc, groups, rows);
                } catch (RuntimeException e) {
                    tc.abort(e);
                    throw withStagingNote(e, staging, prefix);
                }
                totals.rowsLoaded += rows;
                if (!m.keepStagedFiles()) {
                    staging.deletePrefix(prefix + "/");
                }
            } else {
                try {
                    long rows = new SplitReading(m, source, sc, schema).toTarget(tc);
                    totals.rowsRead += rows;
                    emit(m, new ProgressEvent(Stage.COMPLETE, schema.name(), 0, rows, "checking row count"));
                    tc.complete(rows);
                    totals.rowsLoaded += rows;
                } catch (RuntimeException e) {
                    tc.abort(e);
                    throw e;
                }
            }
        }
    }

    private void dump(Migration m, Totals totals) {
        // loading the JSON library takes a noticeable fraction of a second: do it while the rows are read
        var manifestReady = java.util.concurrent.CompletableFuture.runAsync(Manifest::prepare);
        Source source = m.source().orElseThrow();
        Storage staging = m.staging().orElseThrow();
        totals.staging = staging.describe() + "/" + m.stagingPrefix();
        var entries = new ArrayList<Manifest.Entry>();
        for (SourceCollection sc : source.collections()) {
            CollectionSchema schema = targetSchema(m, sc);
            totals.collections.add(schema.name());
            String prefix = key(m.stagingPrefix(), schema.name());
            staging.deletePrefix(prefix + "/");
            List<BulkFileGroup> groups = new SplitReading(m, source, sc, schema).toFiles(staging, prefix);
            long rows = rowsOf(groups);
            totals.rowsRead += rows;
            groups.forEach(g -> totals.files.addAll(g.keys()));
            entries.add(new Manifest.Entry(schema, rows, groups));
        }
        manifestReady.join();
        new Manifest(Manifest.VERSION, entries).write(staging, m.stagingPrefix());
    }

    private void load(Migration m, Totals totals) {
        Target target = m.target().orElseThrow();
        Storage staging = m.staging().orElseThrow();
        if (!target.bulkImport()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "load imports dumped files, but target "
                    + target.describe() + " is set to insert rows; enable bulk import or use run");
        }
        totals.staging = staging.describe() + "/" + m.stagingPrefix();
        Manifest manifest = Manifest.read(staging, m.stagingPrefix());
        for (Manifest.Entry entry : manifest.collections()) {
            totals.collections.add(entry.schema().name());
            entry.groups().forEach(g -> totals.files.addAll(g.keys()));
            totals.rowsRead += entry.rows();
            TargetCollection tc = target.open(entry.schema());
            try {
                importAndComplete(m, staging, tc, entry.groups(), entry.rows());
            } catch (RuntimeException e) {
                tc.abort(e);
                throw e;
            }
            totals.rowsLoaded += entry.rows();
        }
    }

    /**
     * Imports staged groups and checks the count. Files in local storage are named by absolute path, which a Milvus
     * with local storage on the same machine opens directly; others by key, relative to Milvus's bucket.
     */
    private static void importAndComplete(Migration m, Storage staging, TargetCollection tc,
                                          List<BulkFileGroup> groups, long rows) {
        emit(m, new ProgressEvent(Stage.IMPORT, tc.name(), 0, rows, groups.size() + " file groups"));
        tc.importFiles(groups.stream().map(g -> g.withKeys(g.keys().stream()
                .map(k -> staging.localPath(k).map(Object::toString).orElse(k)).toList())).toList());
        emit(m, new ProgressEvent(Stage.COMPLETE, tc.name(), rows, rows, "checking row count"));
        tc.complete(rows);
    }

    private static CollectionSchema targetSchema(Migration m, SourceCollection sc) {
        CollectionSchema schema = sc.schema();
        for (Transform t : m.transforms()) {
            schema = t.apply(schema);
        }
        return schema;
    }

    /** Joins key parts with '/', leaving out empty ones. */
    static String key(String... parts) {
        return String.join("/", java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).toList());
    }

    private static long rowsOf(List<BulkFileGroup> groups) {
        return groups.stream().mapToLong(BulkFileGroup::rows).sum();
    }

    private static RuntimeException withStagingNote(RuntimeException e, Storage staging, String prefix) {
        String note = "staged files kept under " + staging.describe() + "/" + prefix;
        LOG.warn("load failed; {}", note);
        return e instanceof MigrationException me ? me.in(note) : e;
    }

    static void emit(Migration m, ProgressEvent event) {
        try {
            m.listener().onProgress(event);
        } catch (RuntimeException e) {
            LOG.warn("progress listener failed on {}", event, e);
        }
    }

    /** Accumulates a run's figures; used by the calling thread only. */
    private static final class Totals {
        long rowsRead;
        long rowsLoaded;
        final List<String> collections = new ArrayList<>();
        final List<String> files = new ArrayList<>();
        String staging = "";
    }
}
