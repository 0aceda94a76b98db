package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.JobState;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressEvent.Stage;
import io.milvus.migration.core.JobRecords.Group;
import io.milvus.migration.core.JobRecords.GroupState;
import io.milvus.migration.core.JobRecords.Job;
import io.milvus.migration.core.JobRecords.Plan;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Source.SourceCollection;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.TargetCollection;
import io.milvus.migration.spi.Transform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt of a job: plans it (or checks a resumed job's plan), then moves each collection, recording every step
 * in the job's ledger so that a later attempt continues where this one stopped.
 */
final class JobRun {
    private final Migration m;
    private final Migration.Verb verb;
    private final JobControl control;
    private final JobLedger ledger;
    /** Whether the ledger outlives this process, so that a failed job can be resumed. */
    private final boolean durable;
    private final long started = System.nanoTime();
    private final List<String> collections = new ArrayList<>();
    private final List<String> files = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<TargetCollection> createdHere = new ArrayList<>();
    /** Target schemas of the collections this run has begun, for the manifest of staged groups. */
    private final Map<String, CollectionSchema> begun = new LinkedHashMap<>();
    private long rowsRead;
    private long rowsLoaded;
    private Job job;
    /** Set when this attempt was refused because the plan changed: the failure must not say "can be resumed". */
    private boolean refused;

    /** Reads the splits elsewhere (see {@link DistributedRun}); null to read them on this JVM's workers. */
    private final DistributedRun.Scheduler scheduler;

    JobRun(Migration m, Migration.Verb verb, JobControl control, JobLedger ledger, boolean durable) {
        this(m, verb, control, ledger, durable, null);
    }

    JobRun(Migration m, Migration.Verb verb, JobControl control, JobLedger ledger, boolean durable,
           DistributedRun.Scheduler scheduler) {
        this.scheduler = scheduler;
        this.m = m;
        this.verb = verb;
        this.control = control;
        this.ledger = ledger;
        this.durable = durable;
    }

    MigrationReport execute() {
        DefaultMigrationEngine.LOG.info("{} job {}: {}", verb, ledger.jobId(), m);
        control.emit(Stage.PLAN, 0, -1, "");
        try {
            switch (verb) {
                case RUN -> run();
                case DUMP -> dump();
                case LOAD -> load();
            }
        } catch (MigrationException e) {
            throw failed(e);
        } catch (RuntimeException e) {
            throw failed(new MigrationException(ErrorCode.INTERNAL, verb + " job " + ledger.jobId() + " failed: " + e,
                    e));
        }
        var report = new MigrationReport(rowsRead, rowsLoaded, collections, files, stagingDescription(),
                Duration.ofNanos(System.nanoTime() - started), control.rowsSkipped(), control.skippedRows());
        control.emit(control.event(Stage.DONE).collection(String.join(",", collections))
                .rows(verb == Migration.Verb.DUMP ? rowsRead : rowsLoaded, rowsRead).build());
        DefaultMigrationEngine.LOG.info("{} job {} done: {} rows read, {} rows loaded, {} collections, {} files,"
                + " {} ms", verb, ledger.jobId(), rowsRead, rowsLoaded, collections.size(), files.size(),
                report.elapsed().toMillis());
        return report;
    }

    // ---------------------------------------------------------------- run

    private void run() {
        Source source = m.source().orElseThrow();
        Target target = m.target().orElseThrow();
        var planned = new LinkedHashMap<SourceCollection, CollectionSchema>();
        var splits = new HashMap<SourceCollection, List<Split>>();
        for (SourceCollection sc : source.collections()) {
            CollectionSchema schema = targetSchema(sc);
            planned.put(sc, schema);
            splits.put(sc, source.splits(sc));
        }
        beginJob(source.describe(), target.describe(), planned, splits);
        if (JobState.SUCCEEDED.name().equals(job.state)) {
            DefaultMigrationEngine.LOG.info("job {} already succeeded; nothing to do", job.id);
            collections.addAll(job.collections);
            rowsRead = job.rowsRead;
            rowsLoaded = job.rowsLoaded;
            return;
        }
        int index = 0;
        for (var e : planned.entrySet()) {
            runCollection(source, target, e.getKey(), e.getValue(), splits.get(e.getKey()), index++);
        }
        succeed();
    }

    private void runCollection(Source source, Target target, SourceCollection sc, CollectionSchema schema,
                               List<Split> splits, int index) {
        String name = schema.name();
        collections.add(name);
        begun.put(name, schema);
        if (target.bulkImport()) {
            BulkFileWriter.checkFormat(schema, m.bulkFormat());   // before the collection is created or a row read
        }
        TargetCollection tc = open(target, schema);
        var rec = ledger.collection(name).orElseThrow();
        long committedBefore = target.bulkImport() ? ledger.committedRows(name) : insertedRows(name);
        if (rec.completed) {
            rowsRead += committedBefore;
            rowsLoaded += committedBefore;
            return;
        }
        if (committedBefore > 0) {
            long count = tc.rowCount();
            if (count < rec.rowsBefore + committedBefore) {
                throw new MigrationException(ErrorCode.COUNT_MISMATCH, "collection " + name + " holds " + count
                        + " rows, but job " + ledger.jobId() + " had already loaded " + committedBefore
                        + " rows into it (and it held " + rec.rowsBefore + " before): was it dropped or changed"
                        + " since? Start a new job");
            }
        }
        var positions = new HashMap<String, SplitReading.Resume>();
        var todo = new ArrayList<Split>();
        int splitsDone = 0;
        long readBefore = 0;
        for (Split s : splits) {
            var sp = ledger.split(name, s.id()).orElse(null);
            if (sp != null) {
                readBefore += sp.rowsRead + sp.skip;
            }
            if (sp != null && sp.done) {
                splitsDone++;
            } else {
                todo.add(s);
                if (sp != null) {
                    positions.put(s.id(), new SplitReading.Resume(new Position(s.id(), sp.rowsRead, sp.cursor),
                            sp.skip));
                }
            }
        }
        List<Group> earlier = ledger.groups(name);
        control.beginCollection(name, sc.estimatedRows(), splits.size(), splitsDone, readBefore, committedBefore,
                (int) earlier.stream().filter(g -> g.state == GroupState.COMMITTED).count());
        var reading = new SplitReading(m, source, sc, schema, control);
        long expected;
        long slack = 0;
        if (target.bulkImport()) {
            Storage staging = m.staging().orElseThrow();
            String prefix = DefaultMigrationEngine.key(jobPrefix(), name, "a" + job.attempts);
            var budget = new StagingBudget(m.maxStagedBytes());
            var loader = new Loader(m, ledger, tc, staging, control, budget, !m.keepStagedFiles());
            loader.start(earlier.stream().filter(g -> g.state != GroupState.COMMITTED).toList());
            var workers = new AtomicInteger();
            try {
                if (scheduler != null) {
                    schedule(name, index, todo, positions, prefix, staging, budget, loader);
                } else {
                    reading.read(todo, positions, () -> new StagingSink(m, staging, prefix + "/w"
                            + workers.getAndIncrement(), schema, budget, control, ledger, g -> {
                                files.addAll(g.keys);
                                loader.add(g);
                            }, loader::busy));
                }
                loader.readingDone();
                control.emit(Stage.IMPORT, ledger.committedRows(name), sc.estimatedRows(),
                        "waiting for the last imports");
                loader.await();
            } catch (RuntimeException e) {
                control.fail(e);
                loader.stop();
                throw e;
            }
            DefaultMigrationEngine.LOG.info("{}: staging peak {} bytes (bound {})", name, budget.peak(),
                    m.maxStagedBytes());
            expected = ledger.committedRows(name);
            long staged = ledger.groups(name).stream().mapToLong(g -> g.rows).sum();
            long read = splits.stream().mapToLong(s -> ledger.split(name, s.id()).map(x -> x.rowsRead + x.skip)
                    .orElse(0L)).sum();
            // a transform that filters rows stages fewer rows than are read
            boolean keepsRows = m.transforms().stream().noneMatch(Transform::dropsRows);
            if (staged != expected || (keepsRows ? read != expected : read < expected)) {
                throw new MigrationException(ErrorCode.INTERNAL, "collection " + name + ": " + read + " rows read, "
                        + staged + " staged, " + expected + " imported");
            }
        } else {
            reading.read(todo, positions, () -> new InsertSink(tc, ledger, durable, name, control));
            expected = insertedRows(name);
            slack = ledger.collection(name).map(c -> c.replayedRows).orElse(0L);
        }
        control.emit(Stage.COMPLETE, expected, expected, "checking row count");
        long count = tc.rowCount();
        long want = rec.rowsBefore + expected;
        if (count < want || count > want + slack) {
            throw new MigrationException(ErrorCode.COUNT_MISMATCH, "collection " + name + " holds " + count
                    + " rows after loading, expected " + want + " (" + rec.rowsBefore + " before + " + expected
                    + " loaded by job " + ledger.jobId() + ")");
        }
        finish(tc, source.suggestedIndexes(sc));
        rec = ledger.collection(name).orElseThrow();
        rec.completed = true;
        ledger.save(rec);
        rowsRead += expected;
        rowsLoaded += expected;
    }

    /**
     * Has the external scheduler read {@code todo}: each split under a prefix of its own; a reported split's groups
     * and its end are recorded in one write (so that a restart neither loses nor repeats them), then imported.
     */
    private void schedule(String name, int index, List<Split> todo, Map<String, SplitReading.Resume> positions,
                          String prefix, Storage staging, StagingBudget budget, Loader loader) {
        var tasks = new ArrayList<DistributedRun.SplitTask>();
        var pending = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
        for (int i = 0; i < todo.size(); i++) {
            Split s = todo.get(i);
            var r = positions.get(s.id());
            tasks.add(new DistributedRun.SplitTask(ledger.jobId(), index, name, s,
                    r == null ? Position.start(s.id()) : r.position(), r == null ? 0 : r.skip(),
                    prefix + "/s" + i));
            pending.add(s.id());
        }
        scheduler.run(tasks, new DistributedRun.Reports() {
            @Override
            public void report(DistributedRun.SplitOutput out) {
                control.checkRunning();
                if (!out.collection.equals(name) || !pending.remove(out.split)) {
                    DefaultMigrationEngine.LOG.warn("ignoring a second or unknown report: {}", out);
                    return;
                }
                List<Group> groups = DistributedRun.groups(ledger.store(), out);
                ledger.publishAll(groups, StagingSink.position(name, out.split, out.rowsRead, out.cursor, 0,
                        true));
                for (Group g : groups) {
                    budget.add(g.bytes);
                    control.staged(g.rows);
                    files.addAll(g.keys);
                    loader.add(g);
                }
                control.splitDone();
            }

            @Override
            public void check() {
                control.checkRunning();
            }
        });
        if (!pending.isEmpty()) {
            throw new MigrationException(ErrorCode.INTERNAL, "the scheduler returned with " + pending.size()
                    + " splits of " + name + " not reported, such as " + pending.iterator().next());
        }
    }

    /**
     * Opens a target collection for this job (as a resume once the job has recorded it) and records it on first
     * use with the rows it held before: what the final count check starts from.
     */
    private TargetCollection open(Target target, CollectionSchema schema) {
        var rec = ledger.collection(schema.name()).orElse(null);
        TargetCollection tc = target.open(schema, ledger.jobId(), rec != null);
        if (rec == null) {
            rec = new JobRecords.Collection();
            rec.name = schema.name();
            rec.created = tc.created();
            rec.rowsBefore = tc.created() ? 0 : tc.rowCount();
            ledger.save(rec);
        }
        if (tc.created() && !durable) {
            createdHere.add(tc);
        }
        return tc;
    }

    private long insertedRows(String name) {
        return ledger.plan(name).map(p -> p.splits.keySet().stream()
                .mapToLong(id -> ledger.split(name, id).map(s -> s.rowsRead).orElse(0L)).sum()).orElse(0L);
    }

    private void finish(TargetCollection tc, List<io.milvus.migration.spi.IndexSpec> suggested) {
        control.emit(Stage.INDEX, 0, -1, "index and load as configured");
        tc.finish(suggested);
        control.emit(Stage.LOAD, 0, -1, "");
    }

    // ---------------------------------------------------------------- dump and load

    private void dump() {
        // loading the JSON library takes a noticeable fraction of a second: do it while the rows are read
        var manifestReady = java.util.concurrent.CompletableFuture.runAsync(Manifest::prepare);
        Source source = m.source().orElseThrow();
        Storage staging = m.staging().orElseThrow();
        var entries = new ArrayList<Manifest.Entry>();
        for (SourceCollection sc : source.collections()) {
            CollectionSchema schema = targetSchema(sc);
            collections.add(schema.name());
            String prefix = DefaultMigrationEngine.key(m.stagingPrefix(), schema.name());
            BulkFileWriter.checkFormat(schema, m.bulkFormat());   // before anything is read or written
            staging.deletePrefix(prefix + "/");
            var groups = new java.util.concurrent.ConcurrentLinkedQueue<Group>();
            var workers = new AtomicInteger();
            List<Split> splits = source.splits(sc);
            control.beginCollection(schema.name(), sc.estimatedRows(), splits.size(), 0, 0, 0, 0);
            new SplitReading(m, source, sc, schema, control).read(splits, Map.of(), () -> new StagingSink(m,
                    staging, prefix + "/w" + workers.getAndIncrement(), schema, new StagingBudget(Long.MAX_VALUE),
                    control, null, groups::add, () -> false));
            List<BulkFileGroup> bulk = groups.stream().sorted(Comparator.comparing(g -> g.dir))
                    .map(Loader::bulkGroup).toList();
            long rows = bulk.stream().mapToLong(BulkFileGroup::rows).sum();
            rowsRead += rows;
            bulk.forEach(g -> files.addAll(g.keys()));
            entries.add(new Manifest.Entry(schema, rows, bulk));
        }
        manifestReady.join();
        new Manifest(Manifest.VERSION, entries).write(staging, m.stagingPrefix());
    }

    private void load() {
        Target target = m.target().orElseThrow();
        Storage staging = m.staging().orElseThrow();
        if (!target.bulkImport()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "load imports dumped files, but target "
                    + target.describe() + " is set to insert rows; enable bulk import or use run");
        }
        Manifest manifest = Manifest.read(staging, m.stagingPrefix());
        var planned = new LinkedHashMap<SourceCollection, CollectionSchema>();
        var splits = new HashMap<SourceCollection, List<Split>>();
        for (Manifest.Entry entry : manifest.collections()) {
            var sc = new SourceCollection(entry.schema(), entry.rows());
            planned.put(sc, entry.schema());
            splits.put(sc, List.of());
        }
        beginJob(staging.describe() + "/" + m.stagingPrefix(), target.describe(), planned, splits);
        for (Manifest.Entry entry : manifest.collections()) {
            String name = entry.schema().name();
            collections.add(name);
            entry.groups().forEach(g -> files.addAll(g.keys()));
            TargetCollection tc = open(target, entry.schema());
            var rec = ledger.collection(name).orElseThrow();
            if (!rec.completed) {
                var known = new HashMap<String, Group>();
                ledger.groups(name).forEach(g -> known.put(g.dir, g));
                var todo = new ArrayList<Group>();
                for (BulkFileGroup bg : entry.groups()) {
                    String first = bg.keys().get(0);
                    String dir = first.contains("/") ? first.substring(0, first.lastIndexOf('/')) : first;
                    Group g = known.get(dir);
                    if (g == null) {
                        g = new Group();
                        g.dir = dir;
                        g.id = name + ":" + dir;
                        g.collection = name;
                        g.partition = bg.partition();
                        g.format = bg.format().name();
                        g.keys = new ArrayList<>(bg.keys());
                        g.rows = bg.rows();
                        ledger.save(g);
                    }
                    if (g.state != GroupState.COMMITTED) {
                        todo.add(g);
                    }
                }
                control.beginCollection(name, entry.rows(), 0, 0, entry.rows(), ledger.committedRows(name),
                        entry.groups().size() - todo.size());
                // a load keeps the dumped files: they are the user's, not this job's
                var loader = new Loader(m, ledger, tc, staging, control, new StagingBudget(Long.MAX_VALUE), false);
                loader.start(todo);
                loader.readingDone();
                try {
                    loader.await();
                } catch (RuntimeException e) {
                    loader.stop();
                    throw e;
                }
                long count = tc.rowCount();
                if (count != rec.rowsBefore + entry.rows()) {
                    throw new MigrationException(ErrorCode.COUNT_MISMATCH, "collection " + name + " holds " + count
                            + " rows after loading, expected " + (rec.rowsBefore + entry.rows()) + " ("
                            + rec.rowsBefore + " before + " + entry.rows() + " in " + Manifest.FILE + ")");
                }
                finish(tc, List.of());
                rec.completed = true;
                ledger.save(rec);
            }
            rowsRead += entry.rows();
            rowsLoaded += entry.rows();
        }
        succeed();
    }

    // ---------------------------------------------------------------- job records

    /** Records a new job, or checks that a resumed one has the same plan. */
    private void beginJob(String source, String target, Map<SourceCollection, CollectionSchema> planned,
                          Map<SourceCollection, List<Split>> splits) {
        var plans = new LinkedHashMap<String, Plan>();
        for (var e : planned.entrySet()) {
            var p = new Plan();
            p.collection = e.getValue().name();
            p.schema = describe(e.getValue());
            for (Split s : splits.get(e.getKey())) {
                p.splits.put(s.id(), s.estimatedRows() + "|" + s.partition());
            }
            plans.put(p.collection, p);
        }
        Job known = ledger.job().orElse(null);
        if (known == null) {
            var j = new Job();
            j.id = ledger.jobId();
            j.verb = verb.name();
            j.created = Instant.now().toString();
            j.source = source;
            j.target = target;
            j.collections = new ArrayList<>(plans.keySet());
            j.attempts = 1;
            j.state = JobState.RUNNING.name();
            ledger.begin(j, List.copyOf(plans.values()));
            job = j;
            return;
        } else {
            job = known;
            if (!job.verb.equals(verb.name())) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "job " + job.id + " is a " + job.verb
                        + " job, not " + verb + "; use another job id");
            }
            if (JobState.SUCCEEDED.name().equals(job.state)) {
                return;
            }
            checkPlan(ledger.plans(), plans);
            DefaultMigrationEngine.LOG.info("resuming job {} (attempt {}), last stopped: {}", job.id,
                    job.attempts + 1, job.error.isEmpty() ? job.state : job.error);
        }
        job.attempts++;
        job.state = JobState.RUNNING.name();
        job.error = "";
        ledger.save(job);
    }

    private void checkPlan(Map<String, Plan> before, Map<String, Plan> now) {
        String change = null;
        if (!before.keySet().equals(now.keySet())) {
            change = "collections were " + before.keySet() + ", are now " + now.keySet();
        } else {
            for (Plan b : before.values()) {
                Plan n = now.get(b.collection);
                if (!b.schema.equals(n.schema)) {
                    change = "collection " + b.collection + " had schema " + b.schema + ", now " + n.schema;
                } else if (!b.splits.keySet().equals(n.splits.keySet())) {
                    change = "collection " + b.collection + " had " + b.splits.size() + " splits " + abbreviate(
                            b.splits.keySet()) + ", now " + n.splits.size() + " " + abbreviate(n.splits.keySet());
                } else {
                    for (var s : b.splits.entrySet()) {
                        String was = s.getValue();
                        String is = n.splits.get(s.getKey());
                        if (!was.equals(is)) {
                            change = "split " + s.getKey() + " of collection " + b.collection + " held "
                                    + was.replace("|", " rows, partition '") + "', now "
                                    + is.replace("|", " rows, partition '") + "'";
                            break;
                        }
                    }
                }
                if (change != null) {
                    break;
                }
            }
        }
        if (change != null) {
            refused = true;
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "job " + job.id + " cannot be resumed: the"
                    + " source or the settings that cut it changed since it started (" + change + "); start a"
                    + " new job, or restore what changed");
        }
    }

    private static String abbreviate(java.util.Collection<String> ids) {
        var list = new ArrayList<>(ids);
        return list.size() <= 4 ? list.toString() : "[" + list.get(0) + ", " + list.get(1) + ", ..., "
                + list.get(list.size() - 1) + "]";
    }

    private static String describe(CollectionSchema s) {
        var b = new StringBuilder(s.name()).append('(');
        for (FieldSchema f : s.fields()) {
            b.append(f.name()).append(' ').append(f.type());
            if (f.dimension() > 0) {
                b.append('[').append(f.dimension()).append(']');
            }
            if (f.primaryKey()) {
                b.append(" pk");
            }
            b.append(f == s.fields().get(s.fields().size() - 1) ? "" : ", ");
        }
        return b.append(')').toString();
    }

    /**
     * Writes a {@code manifest.json} under the job's staging prefix naming every group, once a run that keeps its
     * files has succeeded, so that {@code load} can import them elsewhere. (A failed run writes none: its files are
     * part of the source only, and resuming the job is the way on.)
     */
    private void writeStagedManifest() {
        if (verb != Migration.Verb.RUN || m.staging().isEmpty() || !m.target().orElseThrow().bulkImport()) {
            return;
        }
        var entries = new ArrayList<Manifest.Entry>();
        for (var e : begun.entrySet()) {
            List<BulkFileGroup> groups = ledger.groups(e.getKey()).stream()
                    .sorted(Comparator.comparing(g -> g.dir)).map(Loader::bulkGroup).toList();
            if (!groups.isEmpty()) {
                entries.add(new Manifest.Entry(e.getValue(), groups.stream().mapToLong(BulkFileGroup::rows).sum(),
                        groups));
            }
        }
        if (!entries.isEmpty()) {
            new Manifest(Manifest.VERSION, entries).write(m.staging().get(), jobPrefix());
        }
    }

    private void succeed() {
        job.state = JobState.SUCCEEDED.name();
        job.rowsRead = rowsRead;
        job.rowsLoaded = rowsLoaded;
        ledger.save(job);
        if (m.keepStagedFiles()) {
            writeStagedManifest();
        }
        if (verb == Migration.Verb.RUN && !m.keepStagedFiles() && m.staging().isPresent()) {
            Storage staging = m.staging().get();
            String prefix = jobPrefix();
            staging.deletePrefix(prefix + "/");
            staging.localPath(prefix).ifPresent(JobRun::deleteEmptyDirectories);
            if (!m.stagingPrefix().isEmpty()) {
                staging.localPath(m.stagingPrefix()).ifPresent(JobRun::deleteIfEmpty);
            }
        }
    }

    private RuntimeException failed(RuntimeException e) {
        boolean cancelled = control.cancelled();
        RuntimeException error = cancelled && !(e instanceof MigrationException me
                && me.code() == ErrorCode.INTERRUPTED) ? control.cancelledError() : e;
        control.emit(control.event(cancelled ? Stage.CANCELLED : Stage.FAILED).error(String.valueOf(
                error.getMessage())).build());
        if (job != null) {
            try {
                job.state = (cancelled ? JobState.CANCELLED : JobState.FAILED).name();
                job.error = String.valueOf(error.getMessage());
                ledger.save(job);
            } catch (RuntimeException recordFailure) {
                DefaultMigrationEngine.LOG.error("could not record the end of job {}", ledger.jobId(), recordFailure);
            }
        }
        if (durable && !refused) {
            String note = "job " + ledger.jobId() + " can be resumed: run it again with the same job id (CLI: start"
                    + " --job " + ledger.jobId() + ")";
            DefaultMigrationEngine.LOG.warn("{} failed; {}", verb, note);
            return error instanceof MigrationException me ? me.in(note) : error;
        }
        for (TargetCollection tc : createdHere) {
            tc.drop();
        }
        if (verb == Migration.Verb.RUN && m.staging().isPresent() && !files.isEmpty()) {
            String note = "staged files kept under " + m.staging().get().describe() + "/" + jobPrefix()
                    + " (the groups not imported)";
            DefaultMigrationEngine.LOG.warn("{} failed; {}", verb, note);
            return error instanceof MigrationException me ? me.in(note) : error;
        }
        return error;
    }

    private String jobPrefix() {
        return DefaultMigrationEngine.key(m.stagingPrefix(), ledger.jobId());
    }

    private String stagingDescription() {
        return m.staging().isPresent() && (verb != Migration.Verb.RUN || m.target().orElseThrow().bulkImport())
                ? m.staging().get().describe() + "/" + (verb == Migration.Verb.RUN ? jobPrefix() : m.stagingPrefix())
                : "";
    }

    private CollectionSchema targetSchema(SourceCollection sc) {
        CollectionSchema schema = sc.schema();
        for (Transform t : m.transforms()) {
            schema = t.apply(schema);
        }
        return schema;
    }

    private static void deleteIfEmpty(Path dir) {
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // not there, or in use: left in place
        }
    }

    /** Removes the directories left empty under a local staging prefix once its files are deleted. */
    private static void deleteEmptyDirectories(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try (var entries = Files.list(p)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(p);
                    }
                } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
                    // not a directory, or not empty any more: left in place
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            DefaultMigrationEngine.LOG.debug("could not tidy {}: {}", root, e.toString());
        }
    }
}
