package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.MigrationEngine;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.SourceFactory;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.TargetFactory;
import io.milvus.migration.spi.Transform;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A configured migration: built once by {@link #builder()}, immutable, run by one of its verbs.
 *
 * <pre>{@code
 * MigrationReport report = Migration.builder()
 *         .source(FaissSource.builder().file(Path.of("vectors.index")).collection("docs").build())
 *         .target(MilvusTarget.builder().uri("http://127.0.0.1:19530").build())
 *         .staging(LocalStorage.at(importRoot))
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>A migration does not own its source, target or staging storage: the caller closes them.
 */
public final class Migration {

    /** What a migration does when run. */
    public enum Verb {
        /** Source to target: through staged bulk files, or by inserts if the target does not bulk import. */
        RUN,
        /** Source to bulk files and a manifest in staging storage; no target needed. */
        DUMP,
        /** Bulk files and manifest previously dumped to staging storage, to the target; no source needed. */
        LOAD
    }

    private final Source source;
    private final Target target;
    private final Storage staging;
    private final String stagingPrefix;
    private final List<Transform> transforms;
    private final int parallelism;
    private final long batchBytes;
    private final long maxFileBytes;
    private final BulkFormat bulkFormat;
    private final boolean keepStagedFiles;
    private final ProgressListener listener;
    private final String jobId;
    private final CheckpointStore checkpoints;
    private final long maxStagedBytes;
    private final int maxConcurrentImports;
    private final int retries;
    private final Duration pollInterval;
    private final Duration importTimeout;
    private final ClassLoader classLoader;
    private final URI sourceUri;
    private final URI stagingUri;
    private final String configFile;

    private Migration(Builder b) {
        this.source = b.source;
        this.target = b.target;
        this.staging = b.staging;
        this.stagingPrefix = b.stagingPrefix;
        this.transforms = List.copyOf(b.transforms);
        this.parallelism = b.parallelism;
        this.batchBytes = b.batchBytes;
        this.maxFileBytes = b.maxFileBytes;
        this.bulkFormat = b.bulkFormat;
        this.keepStagedFiles = b.keepStagedFiles;
        this.listener = b.listener;
        this.jobId = b.jobId;
        this.checkpoints = b.checkpoints;
        this.maxStagedBytes = b.maxStagedBytes;
        this.maxConcurrentImports = b.maxConcurrentImports;
        this.retries = b.retries;
        this.pollInterval = b.pollInterval;
        this.importTimeout = b.importTimeout;
        this.classLoader = b.classLoader;
        this.sourceUri = b.sourceUri;
        this.stagingUri = b.stagingUri;
        this.configFile = b.configFile;
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Migrates the source into the target and waits for the end: {@code start().result().join()}, with the
     * failure thrown as it is.
     *
     * @return what was done
     * @throws MigrationException on any failure. With a job id, the job stays resumable (run it again); without,
     *                            a collection this run created is dropped again.
     */
    public MigrationReport run() {
        return execute(Verb.RUN);
    }

    /**
     * Starts migrating the source into the target on a thread of the engine's and returns at once.
     *
     * @return the handle of the running job
     */
    public MigrationHandle start() {
        return start(Verb.RUN);
    }

    /** Starts the given verb on a thread of the engine's and returns at once. */
    public MigrationHandle start(Verb verb) {
        check(verb);
        return engine().start(this, verb);
    }

    /** Writes the source's rows as bulk files plus a {@code manifest.json} under the staging prefix. */
    public MigrationReport dump() {
        return execute(Verb.DUMP);
    }

    /** Loads what {@link #dump()} wrote under the staging prefix into the target. */
    public MigrationReport load() {
        return execute(Verb.LOAD);
    }

    /**
     * What {@link #run()} would do: per collection its target schema, splits, rows, bytes, expected file groups and
     * import jobs, and the index the source suggests. Reads only the source's metadata; opens no target collection
     * and writes nothing to staging.
     *
     * @return the plan; its collection list is empty if the source holds none
     * @throws MigrationException {@code INVALID_CONFIG} without a source
     */
    public MigrationPlan plan() {
        require(source != null, "source");
        return engine().plan(this);
    }

    /** Checks the target against the source with {@link VerifyOptions#defaults()}. */
    public VerifyReport verify() {
        return verify(VerifyOptions.defaults());
    }

    /**
     * Checks the target against the source after a migration: rows per collection and partition on both sides, a
     * sample of rows compared field by field (read back by primary key), and the agreement of the target's search
     * with an exact search over the source's vectors (recall@k). Reads the source and the target; writes nothing
     * (a collection that has an index but is not loaded is loaded, Milvus cannot query it otherwise).
     *
     * @return the report; a check that fails makes {@link VerifyReport#passed()} false and names the collection,
     *         partition or id, it does not throw
     * @throws MigrationException {@code INVALID_CONFIG} without a source or target, or if the target cannot be
     *                            read back; {@code TARGET_UNAVAILABLE} if it cannot be reached
     */
    public VerifyReport verify(VerifyOptions options) {
        requireNonNull(options, "options is null");
        require(source != null, "source");
        require(target != null, "target");
        return engine().verify(this, options);
    }

    /** Runs the given verb and waits for its end. */
    public MigrationReport execute(Verb verb) {
        MigrationHandle handle = start(verb);
        try {
            return handle.result().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private void check(Verb verb) {
        requireNonNull(verb, "verb is null");
        switch (verb) {
            case RUN -> {
                require(source != null, "source");
                require(target != null, "target");
                require(staging != null || !target.bulkImport(), "staging (the target bulk imports)");
            }
            case DUMP -> {
                require(source != null, "source");
                require(staging != null, "staging");
            }
            case LOAD -> {
                require(target != null, "target");
                require(staging != null, "staging");
            }
        }
    }

    private MigrationEngine engine() {
        return Plugins.find(MigrationEngine.class, classLoader, e -> true, "the engine")
                .orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                        "no migration engine on the class path: add the migration-core artifact"));
    }

    /** The class loader plug-ins (sources, targets, storage, checkpoint stores, the engine) are found through. */
    public ClassLoader classLoader() {
        return classLoader;
    }

    private static void require(boolean ok, String setting) {
        if (!ok) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "setting '" + setting + "' is required");
        }
    }

    /** The source; empty for a migration that only loads. */
    public Optional<Source> source() {
        return Optional.ofNullable(source);
    }

    /** The URI the source was made from; empty when it was given as an object. */
    public Optional<URI> sourceUri() {
        return Optional.ofNullable(sourceUri);
    }

    /** The URI the staging storage was made from; empty when it was given as an object or there is none. */
    public Optional<URI> stagingUri() {
        return Optional.ofNullable(stagingUri);
    }

    /**
     * The configuration file this migration was read from, if any: a runner that builds the migration again where
     * splits are read (Spark executors) reads it there.
     */
    public Optional<String> configFile() {
        return Optional.ofNullable(configFile);
    }

    /** The target; empty for a migration that only dumps. */
    public Optional<Target> target() {
        return Optional.ofNullable(target);
    }

    /** The staging storage; empty when rows are inserted directly. */
    public Optional<Storage> staging() {
        return Optional.ofNullable(staging);
    }

    /** Key prefix of staged files. */
    public String stagingPrefix() {
        return stagingPrefix;
    }

    /** Transforms, applied in order. */
    public List<Transform> transforms() {
        return transforms;
    }

    /** Splits read at once. */
    public int parallelism() {
        return parallelism;
    }

    /** Target size of one batch in bytes. */
    public long batchBytes() {
        return batchBytes;
    }

    /** Largest staged bulk file, in bytes. */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /** Format of staged files. */
    public BulkFormat bulkFormat() {
        return bulkFormat;
    }

    /** Whether staged files stay after a successful load. */
    public boolean keepStagedFiles() {
        return keepStagedFiles;
    }

    /** The progress listener. */
    public ProgressListener listener() {
        return listener;
    }

    /** The job id given to the builder; empty when each run is a job of its own. */
    public Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }

    /** The checkpoint store given to the builder; empty when none was given. */
    public Optional<CheckpointStore> checkpoints() {
        return Optional.ofNullable(checkpoints);
    }

    /** Most bytes of bulk files waiting in staging (written, not yet imported); reading pauses above it. */
    public long maxStagedBytes() {
        return maxStagedBytes;
    }

    /** Import jobs running in the target at once. */
    public int maxConcurrentImports() {
        return maxConcurrentImports;
    }

    /** Times a step that failed transiently (an unavailable target, a retryable import failure) is tried again. */
    public int retries() {
        return retries;
    }

    /** How often the state of running imports is asked. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** How long one import job may run. */
    public Duration importTimeout() {
        return importTimeout;
    }

    @Override
    public String toString() {
        return "Migration[source=" + (source == null ? "-" : source.describe())
                + ", target=" + (target == null ? "-" : target.describe())
                + ", staging=" + (staging == null ? "-" : staging.describe() + "/" + stagingPrefix)
                + ", transforms=" + transforms + ", parallelism=" + parallelism + ", format=" + bulkFormat
                + (jobId == null ? "" : ", job=" + jobId)
                + (checkpoints == null ? "" : ", checkpoints=" + checkpoints.describe()) + "]";
    }

    /** Collects a migration's settings; not thread-safe; {@link #build()} freezes them. */
    public static final class Builder {
        private Source source;
        private Target target;
        private Storage staging;
        private String stagingPrefix = "migration";
        private final List<Transform> transforms = new ArrayList<>();
        private int parallelism = Math.min(4, Runtime.getRuntime().availableProcessors());
        private long batchBytes = 8L << 20;
        private long maxFileBytes = 1L << 30;
        private BulkFormat bulkFormat = BulkFormat.NUMPY;
        private boolean keepStagedFiles;
        private ProgressListener listener = ProgressListener.NONE;
        private String jobId;
        private CheckpointStore checkpoints;
        private long maxStagedBytes = 8L << 30;
        private int maxConcurrentImports = 4;
        private int retries = 5;
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration importTimeout = Duration.ofHours(2);
        private ClassLoader classLoader = Plugins.defaultLoader();
        private URI sourceUri;
        private URI stagingUri;
        private String configFile;

        private Builder() {
        }

        /**
         * The class loader through which plug-ins are found ({@link java.util.ServiceLoader}): sources, targets and
         * storage given by URI after this call, checkpoint stores and the engine. Use it for plug-ins in a child
         * class loader (an application server, Spark {@code --jars}, a plug-in folder). Default: the thread's
         * context class loader when the builder was made, else the API's own.
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = requireNonNull(loader, "loader is null");
            return this;
        }

        /** The source to read. Required for {@code run} and {@code dump}. */
        public Builder source(Source source) {
            this.source = requireNonNull(source, "source is null");
            this.sourceUri = null;
            return this;
        }

        /**
         * The source for a URI, created by the first {@link SourceFactory} on the class path that supports it.
         *
         * @throws MigrationException {@code INVALID_CONFIG} if no factory supports the URI
         */
        public Builder source(URI uri) {
            requireNonNull(uri, "uri is null");
            SourceFactory factory = Plugins.find(SourceFactory.class, classLoader, f -> f.supports(uri), safe(uri))
                    .orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                            "no source on the class path reads " + safe(uri)));
            source(factory.create(uri));
            this.sourceUri = uri;
            return this;
        }

        /** The Milvus to load into. Required for {@code run} and {@code load}. */
        public Builder target(Target target) {
            this.target = requireNonNull(target, "target is null");
            return this;
        }

        /**
         * The target for a URI such as {@code milvus://127.0.0.1:19530/default/docs}, created by the first
         * {@link TargetFactory} on the class path that supports it; a collection named in the URI renames the
         * source's collection to it.
         *
         * @throws MigrationException {@code INVALID_CONFIG} if no factory supports the URI
         */
        public Builder target(URI uri) {
            requireNonNull(uri, "uri is null");
            TargetFactory factory = Plugins.find(TargetFactory.class, classLoader, f -> f.supports(uri), safe(uri))
                    .orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG, "no target on the class path"
                            + " serves " + uri.getScheme() + ":" + " URIs (" + safe(uri) + ")"));
            target(factory.create(uri));
            factory.collection(uri).ifPresent(this::collectionName);
            return this;
        }

        /** Where bulk files are staged. Required for {@code dump}, {@code load}, and {@code run} with bulk import. */
        public Builder staging(Storage staging) {
            this.staging = requireNonNull(staging, "staging is null");
            this.stagingUri = null;
            return this;
        }

        /**
         * Staging storage for a URI such as {@code file:/data/stage}, created by the first {@link StorageFactory} on
         * the class path that supports it.
         */
        public Builder staging(URI uri) {
            requireNonNull(uri, "uri is null");
            StorageFactory factory = Plugins.find(StorageFactory.class, classLoader, f -> f.supports(uri), safe(uri))
                    .orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                            "no storage on the class path serves " + safe(uri)));
            staging(factory.create(uri));
            this.stagingUri = uri;
            return this;
        }

        /** The configuration file these settings were read from; see {@link Migration#configFile()}. */
        public Builder configFile(String path) {
            this.configFile = requireNonNull(path, "path is null");
            return this;
        }

        /** Key prefix under which files are staged. Default {@code migration}. */
        public Builder stagingPrefix(String prefix) {
            requireNonNull(prefix, "prefix is null");
            this.stagingPrefix = prefix.replaceAll("^/+|/+$", "");
            return this;
        }

        /** Adds a transform; transforms apply in the order added. Default: none. */
        public Builder transform(Transform transform) {
            transforms.add(requireNonNull(transform, "transform is null"));
            return this;
        }

        /** Names the target collection. Default: the source collection's name. */
        public Builder collectionName(String name) {
            return transform(Transforms.renameCollection(name));
        }

        /** Splits read (and files written) at once. Default: the number of processors, at most 4. */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "parallelism must be >= 1: " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        /** Approximate bytes per batch read from the source; bounds memory with parallelism. Default 8 MiB. */
        public Builder batchBytes(long bytes) {
            if (bytes < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "batchBytes must be >= 1: " + bytes);
            }
            this.batchBytes = bytes;
            return this;
        }

        /** Largest bulk file; a file group is cut before a file would exceed it. Default 1 GiB. */
        public Builder maxFileBytes(long bytes) {
            if (bytes < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "maxFileBytes must be >= 1: " + bytes);
            }
            this.maxFileBytes = bytes;
            return this;
        }

        /** Format of staged files. Default {@link BulkFormat#NUMPY}. */
        public Builder bulkFormat(BulkFormat format) {
            this.bulkFormat = requireNonNull(format, "format is null");
            return this;
        }

        /** Keep staged files after a successful {@code run}. Default false (they are deleted). */
        public Builder keepStagedFiles(boolean keep) {
            this.keepStagedFiles = keep;
            return this;
        }

        /** Receives progress events. Default: none. */
        public Builder listener(ProgressListener listener) {
            this.listener = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * Names the job, so that running a migration with the same id again continues it where it stopped: finished
         * splits are not read again, imported file groups not imported again. Without a {@link #checkpoints} store
         * the job's state is kept in {@code migration-checkpoints.db} in the working directory (needs the
         * {@code migration-checkpoint} artifact). Default: none, each run is a job of its own and keeps its state in
         * memory only.
         */
        public Builder jobId(String jobId) {
            requireNonNull(jobId, "jobId is null");
            if (!jobId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "jobId '" + jobId + "' must be 1-128 letters,"
                        + " digits, '.', '_' or '-', starting with a letter or digit");
            }
            this.jobId = jobId;
            return this;
        }

        /** Where job state is kept (see {@code CheckpointStores}). Default: a local SQLite file with a job id,
         * memory without. */
        public Builder checkpoints(CheckpointStore store) {
            this.checkpoints = requireNonNull(store, "store is null");
            return this;
        }

        /** Most bytes of bulk files waiting in staging to be imported; reading pauses above it. Default 8 GiB. */
        public Builder maxStagedBytes(long bytes) {
            if (bytes < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "maxStagedBytes must be >= 1: " + bytes);
            }
            this.maxStagedBytes = bytes;
            return this;
        }

        /** Import jobs running in the target at once. Default 4. */
        public Builder maxConcurrentImports(int n) {
            if (n < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "maxConcurrentImports must be >= 1: " + n);
            }
            this.maxConcurrentImports = n;
            return this;
        }

        /** Times a transiently failed step is tried again, with growing pauses. Default 5. */
        public Builder retries(int n) {
            if (n < 0) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "retries must be >= 0: " + n);
            }
            this.retries = n;
            return this;
        }

        /** How often the state of running imports is asked. Default 500 ms. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = requireNonNull(interval, "interval is null");
            return this;
        }

        /** How long one import job may run before the job fails (it stays resumable). Default 2 hours. */
        public Builder importTimeout(Duration timeout) {
            this.importTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** The URI without user info, for messages. */
        private static String safe(URI uri) {
            try {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                        .toString();
            } catch (java.net.URISyntaxException | RuntimeException e) {
                return uri.getScheme() + ":...";
            }
        }

        /** Freezes the settings into a migration. */
        public Migration build() {
            return new Migration(this);
        }
    }
}
