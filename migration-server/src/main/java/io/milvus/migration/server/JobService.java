package io.milvus.migration.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationHandle;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressEvent;
import io.milvus.migration.core.Jobs;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.yaml.MigrationYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The server's jobs: submitted configs run on a bounded pool, and every job's request and state kept in the
 * checkpoint store next to the engine's own records, so that a restarted server lists them and resumes the ones that
 * were running. Thread-safe.
 */
final class JobService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

    /** The kind of the server's entries in the store; the engine ignores kinds it does not know. */
    static final String KIND = "server";
    private static final String REQUEST = "request";
    private static final String STATUS = "status";
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A job's state as the server reports it. */
    enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED,
        /** Was running when the server stopped; resumable. */
        INTERRUPTED;

        boolean isFinal() {
            return this != QUEUED && this != RUNNING;
        }
    }

    /** What was submitted: kept so that the job can be run again after a restart. */
    record Request(String verb, String config, String submitted, String origin, String requestId) {
    }

    /**
     * The server's last word on a job, with the rows of its report: dump and load jobs keep no records of their
     * own in the store.
     */
    record Status(String state, String code, String error, String updated, long rowsRead, long rowsLoaded) {
        Status(String state, String code, String error) {
            this(state, code, error, Instant.now().toString(), 0, 0);
        }
    }

    /** A job of this process: queued or running. */
    final class LiveJob {
        final String id;
        final Request request;
        final Set<String> secrets;
        volatile State state = State.QUEUED;
        volatile MigrationHandle handle;
        volatile boolean cancelRequested;
        volatile ProgressEvent last;
        volatile long rowsRead = -1;
        volatile long rowsLoaded = -1;
        volatile Future<?> task;
        final CompletableFuture<State> done = new CompletableFuture<>();
        final List<BlockingQueue<Object>> listeners = new CopyOnWriteArrayList<>();

        LiveJob(String id, Request request) {
            this.id = id;
            this.request = request;
            this.secrets = Secrets.values(parseYaml(request.config));
        }
    }

    /** What an event stream receives after the last event. */
    static final Object END = new Object();

    private final CheckpointStore store;
    private final ExecutorService workers;
    private final Map<String, LiveJob> live = new ConcurrentHashMap<>();
    private final boolean resumeOnStart;
    private final Object submitLock = new Object();
    private volatile boolean closing;
    /**
     * Where submitted configs find their plug-ins (workMode, transforms): the context class loader of the thread
     * that made the server (the command line's plug-in folder), not that of the HTTP thread a request comes on.
     */
    private final ClassLoader plugins;

    JobService(CheckpointStore store, int maxConcurrentJobs, boolean resumeOnStart) {
        this.store = store;
        this.resumeOnStart = resumeOnStart;
        this.plugins = Thread.currentThread().getContextClassLoader();
        var n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(maxConcurrentJobs, r -> {
            Thread t = new Thread(r, "migration-job-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(plugins);
            return t;
        });
    }

    /** Jobs that were queued or running when the server last stopped: resumed, or marked interrupted. */
    void recover() {
        for (String id : store.jobIds()) {
            Optional<Request> request = request(id);
            Optional<Status> status = status(id);
            if (request.isEmpty() || status.isEmpty()) {
                continue; // not the server's, or written by a newer version
            }
            State was = State.valueOf(status.get().state());
            if (was.isFinal()) {
                continue;
            }
            if (resumeOnStart) {
                LOG.info("job {} was {} when the server stopped; resuming it", id, was);
                enqueue(new LiveJob(id, request.get()));
            } else {
                LOG.info("job {} was {} when the server stopped; marked interrupted", id, was);
                saveStatus(id, State.INTERRUPTED, "INTERRUPTED", "the server stopped while the job was " + was
                        + "; resume it");
            }
        }
    }

    String describeStore() {
        return store.describe();
    }

    /**
     * Checks a config (no I/O) and queues it as a new job.
     *
     * @param idPrefix prefix of a made-up id when neither {@code jobId} nor the config names one
     * @throws ApiException 400 for a bad config, 409 for a job id in use
     */
    LiveJob submit(Migration.Verb verb, String config, String jobId, String idPrefix, String origin,
                   String requestId) {
        MigrationYaml.Checked checked;
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        try {
            thread.setContextClassLoader(plugins);
            checked = MigrationYaml.check(config, "request body", verb);
        } catch (MigrationException e) {
            throw new ApiException(400, e.code().name(), Secrets.mask(e.reason(), Secrets.values(parseYamlQuietly(
                    config))));
        } finally {
            thread.setContextClassLoader(context);
        }
        if (checked.checkpoint()) {
            throw new ApiException(400, ErrorCode.INVALID_CONFIG.name(), "config: key 'checkpoint' is not taken by"
                    + " the server: its jobs are kept in its own checkpoint store (" + store.describe() + ")");
        }
        String id = jobId != null && !jobId.isEmpty() ? jobId : !checked.jobId().isEmpty() ? checked.jobId()
                : idPrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            Migration.builder().jobId(id); // the same rule as the engine's
        } catch (MigrationException e) {
            throw new ApiException(400, e.code().name(), "jobId: " + e.reason());
        }
        var request = new Request(verb.name(), config, Instant.now().toString(), origin, requestId);
        LiveJob job;
        synchronized (submitLock) {
            if (live.containsKey(id) || !store.read(id).isEmpty()) {
                throw ApiException.conflict("job " + id + " exists already; resume it or choose another jobId");
            }
            job = new LiveJob(id, request);
            store.write(id, List.of(entry(REQUEST, request), entry(STATUS, new Status(State.QUEUED.name(), "",
                    ""))));
            enqueue(job);
        }
        LOG.info("job {} submitted ({}, {})", id, verb, origin);
        return job;
    }

    /** Queues a known, stopped job of the server again; it continues where it stopped. */
    LiveJob resume(String id) {
        synchronized (submitLock) {
            if (live.containsKey(id)) {
                throw ApiException.conflict("job " + id + " is " + live.get(id).state + "; it cannot be resumed");
            }
            Request request = request(id).orElseThrow(() -> store.read(id).isEmpty()
                    ? ApiException.notFound("job " + id + " is unknown")
                    : ApiException.conflict("job " + id + " was not submitted to this server; run it again where"
                    + " it was started"));
            State state = state(id);
            if (state == State.SUCCEEDED) {
                throw ApiException.conflict("job " + id + " has succeeded; there is nothing to resume");
            }
            var job = new LiveJob(id, request);
            saveStatus(id, State.QUEUED, "", "");
            enqueue(job);
            LOG.info("job {} resumed", id);
            return job;
        }
    }

    /** Asks a queued or running job to stop; it stays resumable. */
    void cancel(String id) {
        LiveJob job = live.get(id);
        if (job == null) {
            if (store.read(id).isEmpty()) {
                throw ApiException.notFound("job " + id + " is unknown");
            }
            throw ApiException.conflict("job " + id + " is " + state(id) + "; only a queued or running job can be"
                    + " cancelled");
        }
        LOG.info("cancelling job {}", id);
        job.cancelRequested = true;
        MigrationHandle h = job.handle;
        if (h != null) {
            h.cancel();
        } else if (job.task != null && job.task.cancel(false)) {
            finish(job, State.CANCELLED, ErrorCode.INTERRUPTED.name(), "cancelled before it started");
        }
    }

    private void enqueue(LiveJob job) {
        live.put(job.id, job);
        job.task = workers.submit(() -> run(job));
    }

    private void run(LiveJob job) {
        if (job.cancelRequested) {
            finish(job, State.CANCELLED, ErrorCode.INTERRUPTED.name(), "cancelled before it started");
            return;
        }
        job.state = State.RUNNING;
        saveStatus(job.id, State.RUNNING, "", "");
        Migration.Verb verb = Migration.Verb.valueOf(job.request.verb());
        try (MigrationYaml yaml = MigrationYaml.parse(job.request.config(), "job " + job.id, verb)) {
            yaml.checkpoints(store).jobId(job.id);
            Migration migration = yaml.migration(event -> onEvent(job, event));
            MigrationHandle handle = migration.start(verb);
            job.handle = handle;
            if (job.cancelRequested) {
                handle.cancel();
            }
            try {
                MigrationReport report = handle.result().join();
                job.rowsRead = report.rowsRead();
                job.rowsLoaded = report.rowsLoaded();
                finish(job, State.SUCCEEDED, "", "");
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (closing) {
                    return; // left RUNNING in the store: resumed when the server starts again
                }
                State end = job.cancelRequested ? State.CANCELLED : State.FAILED;
                if (cause instanceof MigrationException me) {
                    finish(job, end, me.code().name(), me.reason());
                } else {
                    LOG.warn("job {} failed: {}", job.id, cause.getClass().getName());
                    finish(job, end, ErrorCode.INTERNAL.name(), cause.getClass().getSimpleName());
                }
            }
        } catch (MigrationException e) {
            finish(job, State.FAILED, e.code().name(), e.reason());
        } catch (RuntimeException e) {
            LOG.warn("job {} failed: {}", job.id, e.getClass().getName());
            finish(job, State.FAILED, ErrorCode.INTERNAL.name(), e.getClass().getSimpleName());
        }
    }

    private void onEvent(LiveJob job, ProgressEvent event) {
        job.last = event;
        for (BlockingQueue<Object> q : job.listeners) {
            q.offer(event);
        }
    }

    private void finish(LiveJob job, State state, String code, String error) {
        String message = Secrets.mask(error, job.secrets);
        try {
            ProgressEvent last = job.last;
            long read = job.rowsRead >= 0 ? job.rowsRead : last == null ? 0 : Math.max(0, last.rowsRead());
            long loaded = job.rowsLoaded >= 0 ? job.rowsLoaded : last == null ? 0 : Math.max(0, last.rowsImported());
            store.write(job.id, List.of(entry(STATUS, new Status(state.name(), code, message,
                    Instant.now().toString(), read, loaded))));
        } catch (RuntimeException e) {
            LOG.warn("cannot record the end of job {}: {}", job.id, e.getMessage());
        }
        job.state = state;
        live.remove(job.id, job);
        LOG.info("job {} {}{}", job.id, state, message.isEmpty() ? "" : ": " + message);
        for (BlockingQueue<Object> q : job.listeners) {
            q.offer(END);
        }
        job.done.complete(state);
    }

    /** The live job, if the job is queued or running in this process. */
    Optional<LiveJob> live(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /**
     * Events of a job from now on, then {@link #END}; empty when the job is not queued or running. Remove the queue
     * from {@code LiveJob.listeners} when done.
     */
    Optional<BlockingQueue<Object>> listen(String id) {
        LiveJob job = live.get(id);
        if (job == null) {
            return Optional.empty();
        }
        var q = new LinkedBlockingQueue<Object>(10_000);
        job.listeners.add(q);
        if (job.done.isDone()) {
            q.offer(END);
        }
        return Optional.of(q);
    }

    void unlisten(String id, BlockingQueue<Object> q) {
        LiveJob job = live.get(id);
        if (job != null) {
            job.listeners.remove(q);
        }
    }

    /** Every job id: the store's and the live ones. */
    List<String> ids() {
        var ids = new TreeSet<>(store.jobIds());
        ids.addAll(live.keySet());
        return List.copyOf(ids);
    }

    boolean known(String id) {
        return live.containsKey(id) || !store.read(id).isEmpty();
    }

    State state(String id) {
        LiveJob job = live.get(id);
        if (job != null) {
            return job.state;
        }
        Optional<Status> status = status(id);
        if (status.isPresent()) {
            State s = State.valueOf(status.get().state());
            return s.isFinal() ? s : State.INTERRUPTED; // not live here: its server stopped
        }
        return Jobs.get(store, id).map(i -> switch (i.state()) {
            case "SUCCEEDED" -> State.SUCCEEDED;
            case "FAILED" -> State.FAILED;
            case "CANCELLED" -> State.CANCELLED;
            default -> State.RUNNING;
        }).orElse(State.INTERRUPTED);
    }

    /** A job as the API shows it; {@code detail} adds splits, groups, the last event and the (redacted) config. */
    Map<String, Object> view(String id, boolean detail) {
        LiveJob job = live.get(id);
        State state = state(id);
        Optional<Request> request = job != null ? Optional.of(job.request) : request(id);
        Optional<Status> status = status(id);
        Optional<Jobs.Info> info = Jobs.get(store, id);
        List<Jobs.SplitInfo> splits = Jobs.splits(store, id);
        Set<String> secrets = job != null ? job.secrets
                : request.map(r -> Secrets.values(parseYamlQuietly(r.config()))).orElse(Set.of());

        var v = new LinkedHashMap<String, Object>();
        v.put("id", id);
        v.put("verb", info.map(Jobs.Info::verb).or(() -> request.map(Request::verb)).orElse("RUN"));
        v.put("state", state.name());
        v.put("origin", request.map(Request::origin).orElse("cli"));
        v.put("submitted", request.map(Request::submitted).orElse(info.map(Jobs.Info::created).orElse("")));
        v.put("created", info.map(Jobs.Info::created).orElse(""));
        v.put("updated", latest(info.map(Jobs.Info::updated).orElse(""),
                status.map(Status::updated).orElse("")));
        v.put("attempts", info.map(Jobs.Info::attempts).orElse(0));
        long rowsTotal = splits.stream().mapToLong(s -> Math.max(0, s.rowsTotal())).sum();
        long rowsRead = info.map(i -> i.collections().stream().mapToLong(Jobs.CollectionInfo::rowsRead).sum())
                .orElse(0L);
        long rowsImported = info.map(i -> i.collections().stream()
                .mapToLong(Jobs.CollectionInfo::rowsImported).sum()).orElse(0L);
        if (info.isEmpty() || splits.isEmpty()) {
            // dump and load keep no records: the live job's last event, else the report kept with the status
            ProgressEvent last = job == null ? null : job.last;
            if (last != null) {
                rowsRead = Math.max(0, last.rowsRead());
                rowsImported = Math.max(0, last.rowsImported());
                rowsTotal = Math.max(0, last.rowsTotal());
            } else if (status.isPresent()) {
                rowsRead = status.get().rowsRead();
                rowsImported = status.get().rowsLoaded();
                rowsTotal = state == State.SUCCEEDED ? Math.max(rowsRead, rowsImported) : 0;
            }
        }
        v.put("rowsTotal", rowsTotal);
        v.put("rowsRead", rowsRead);
        v.put("rowsImported", rowsImported);
        v.put("splitsTotal", splits.size());
        v.put("splitsDone", (int) splits.stream().filter(Jobs.SplitInfo::done).count());
        v.put("progress", progress(state, String.valueOf(v.get("verb")), rowsTotal, rowsRead, rowsImported));
        String error = status.map(Status::error).filter(e -> !e.isEmpty())
                .orElse(info.map(Jobs.Info::error).orElse(""));
        String code = status.map(Status::code).filter(c -> !c.isEmpty()).orElse("");
        if (!error.isEmpty() && state != State.SUCCEEDED && state != State.QUEUED && state != State.RUNNING) {
            v.put("error", Map.of("code", code.isEmpty() ? ErrorCode.INTERNAL.name() : code,
                    "message", Secrets.mask(error, secrets)));
        } else {
            v.put("error", null);
        }
        v.put("resumable", request.isPresent() && job == null && state != State.SUCCEEDED);
        if (detail) {
            var collections = new ArrayList<Map<String, Object>>();
            for (Jobs.CollectionInfo c : info.map(Jobs.Info::collections).orElse(List.of())) {
                var m = new LinkedHashMap<String, Object>();
                m.put("name", c.name());
                m.put("splitsDone", c.splitsDone());
                m.put("splitsTotal", c.splitsTotal());
                m.put("rowsRead", c.rowsRead());
                m.put("rowsImported", c.rowsImported());
                m.put("groupsStaged", c.groupsStaged());
                m.put("groupsImported", c.groupsImported());
                m.put("completed", c.completed());
                collections.add(m);
            }
            v.put("collections", collections);
            v.put("splits", splits.stream().map(s -> {
                var m = new LinkedHashMap<String, Object>();
                m.put("collection", s.collection());
                m.put("split", s.split());
                m.put("rowsRead", s.rowsRead());
                m.put("rowsTotal", s.rowsTotal());
                m.put("done", s.done());
                return m;
            }).toList());
            v.put("groups", Jobs.groups(store, id).stream().map(g -> {
                var m = new LinkedHashMap<String, Object>();
                m.put("collection", g.collection());
                m.put("id", g.id());
                m.put("state", g.state());
                m.put("rows", g.rows());
                m.put("bytes", g.bytes());
                m.put("importId", g.importId());
                m.put("error", Secrets.mask(g.error(), secrets));
                return m;
            }).toList());
            ProgressEvent last = job == null ? null : job.last;
            v.put("lastEvent", last == null ? null : event(last, secrets));
            v.put("elapsedMs", elapsedMs(String.valueOf(v.get("submitted")), String.valueOf(v.get("updated")),
                    state));
            v.put("config", request.map(r -> Secrets.redact(parseYamlQuietly(r.config()))).orElse(null));
        }
        return v;
    }

    static Map<String, Object> event(ProgressEvent e, Set<String> secrets) {
        var m = new LinkedHashMap<String, Object>();
        m.put("jobId", e.jobId() == null ? "" : e.jobId());
        m.put("time", e.time().toString());
        m.put("stage", e.stage().name());
        m.put("collection", e.collection() == null ? "" : e.collection());
        m.put("rowsDone", e.rowsDone());
        m.put("rowsTotal", e.rowsTotal());
        m.put("rowsRead", e.rowsRead());
        m.put("rowsImported", e.rowsImported());
        m.put("bytesRead", e.bytesRead());
        m.put("splitsDone", e.splitsDone());
        m.put("splitsTotal", e.splitsTotal());
        m.put("groupsStaged", e.groupsStaged());
        m.put("groupsImported", e.groupsImported());
        m.put("message", Secrets.mask(e.message(), secrets));
        m.put("error", Secrets.mask(e.error(), secrets));
        return m;
    }

    private static int progress(State state, String verb, long total, long read, long imported) {
        if (state == State.SUCCEEDED) {
            return 100;
        }
        if (total <= 0) {
            return 0;
        }
        long done = verb.equals("DUMP") ? read : imported;
        return (int) Math.min(99, done * 100 / total); // 100 only once the job has succeeded
    }

    private static long elapsedMs(String from, String to, State state) {
        try {
            Instant start = Instant.parse(from);
            Instant end = state.isFinal() && !to.isEmpty() ? Instant.parse(to) : Instant.now();
            return Math.max(0, Duration.between(start, end).toMillis());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String latest(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b; // ISO-8601 instants of the same form sort as text
    }

    Optional<Request> request(String id) {
        return entry(id, REQUEST, Request.class);
    }

    private Optional<Status> status(String id) {
        return entry(id, STATUS, Status.class);
    }

    private <T> Optional<T> entry(String id, String key, Class<T> type) {
        for (CheckpointStore.Entry e : store.read(id)) {
            if (e.kind().equals(KIND) && e.key().equals(key)) {
                try {
                    return Optional.of(JSON.readValue(e.value(), type));
                } catch (IOException ex) {
                    LOG.warn("job {}: unreadable server entry {}", id, key);
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private void saveStatus(String id, State state, String code, String error) {
        store.write(id, List.of(entry(STATUS, new Status(state.name(), code, error))));
    }

    private static CheckpointStore.Entry entry(String key, Object value) {
        try {
            return new CheckpointStore.Entry(KIND, key, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object parseYaml(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    private static Object parseYamlQuietly(String text) {
        try {
            return parseYaml(text);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** Stops taking jobs; running jobs are cancelled but stay RUNNING in the store, so a restart resumes them. */
    @Override
    public void close() {
        closing = true;
        workers.shutdownNow();
        for (LiveJob job : live.values()) {
            MigrationHandle h = job.handle;
            if (h != null) {
                h.cancel();
                try {
                    h.result().handle((r, e) -> null).get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("job {} did not stop within 30 s", job.id);
                }
            }
        }
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
