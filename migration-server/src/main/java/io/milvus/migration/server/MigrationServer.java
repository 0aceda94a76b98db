package io.milvus.migration.server;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.spi.CheckpointStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A REST server for migration jobs: {@code POST /api/v2/jobs} takes a {@code migration.yaml} (or the same as JSON),
 * jobs are kept in a checkpoint store and survive restarts, {@code /api/v1} answers as the Go tool's server did, and
 * {@code /} is a job page. Built by {@link #builder()}, started by {@link #start()}, stopped by {@link #close()}.
 *
 * <pre>{@code
 * try (MigrationServer server = MigrationServer.builder().port(8080).token(System.getenv("MIGRATION_TOKEN"))
 *         .checkpoints(CheckpointStores.sqlite(Path.of("/data/jobs.db"))).build().start()) {
 *     server.join();
 * }
 * }</pre>
 */
public final class MigrationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationServer.class);

    /** What to do with the jobs that were running when the server stopped. */
    public enum OnRestart {
        /** Run them again: they continue where they stopped. */
        RESUME,
        /** Mark them {@code INTERRUPTED}; {@code POST /api/v2/jobs/{id}/resume} continues one. */
        MARK_INTERRUPTED
    }

    private final String host;
    private final int port;
    private final String token;
    private final int maxConcurrentJobs;
    private final long maxBodyBytes;
    private final OnRestart onRestart;
    private final String migrationConfig;
    private final Supplier<CheckpointStore> storeSupplier;
    private final boolean ownsStore;
    private Server jetty;
    private JobService jobs;
    private CheckpointStore store;

    private MigrationServer(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.token = b.token;
        this.maxConcurrentJobs = b.maxConcurrentJobs;
        this.maxBodyBytes = b.maxBodyBytes;
        this.onRestart = b.onRestart;
        this.migrationConfig = b.migrationConfig;
        CheckpointStore given = b.checkpoints;
        Path file = b.checkpointFile;
        this.storeSupplier = given != null ? () -> given : b.ownedStore != null ? b.ownedStore
                : () -> CheckpointStores.sqlite(file);
        this.ownsStore = given == null;
    }

    /** A builder with the defaults: 127.0.0.1:8080, two jobs at once, 1 MiB bodies, jobs resumed on restart. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder set from a {@code server.yaml} (keys {@code host, port, token, allowLoopbackWithoutToken,
     * maxConcurrentJobs, maxBodyKB, onRestart, migrationConfig, checkpoint}); the token may also come from the
     * environment variable {@code MIGRATION_SERVER_TOKEN}.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the key at fault
     */
    public static Builder builder(Path serverYaml) {
        return ServerYaml.builder(serverYaml);
    }

    /**
     * Opens the store, resumes (or marks) the jobs that were running, and starts listening. Returns this server.
     * Submitted configs find their plug-ins (a {@code workMode} source, {@code transforms:}) through the context
     * class loader of the thread calling this (the command line's {@code serve --plugins DIR} sets it).
     *
     * @throws MigrationException {@code INVALID_CONFIG} if the port cannot be bound, {@code CHECKPOINT_IO} if the
     *                            store cannot be opened
     */
    public synchronized MigrationServer start() {
        if (jetty != null) {
            throw new IllegalStateException("the server is started already");
        }
        store = storeSupplier.get();
        jobs = new JobService(store, maxConcurrentJobs, onRestart == OnRestart.RESUME);
        var threads = new QueuedThreadPool(256, 8);
        threads.setName("migration-http");
        jetty = new Server(threads);
        var connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrors());
        jetty.setHandler(new Api(jobs, token, maxBodyBytes, migrationConfig));
        try {
            jetty.start();
        } catch (Exception e) {
            closeQuietly();
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        jobs.recover();
        LOG.info("migration server listening on http://{}:{} (jobs in {}, {} at once, {})", host, port(),
                store.describe(), maxConcurrentJobs, token == null ? "no token: loopback only" : "bearer token");
        return this;
    }

    /** The port listened on (the chosen one when built with port 0); -1 before {@link #start()}. */
    public synchronized int port() {
        if (jetty == null) {
            return -1;
        }
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** The base URL, such as {@code http://127.0.0.1:8080}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** Blocks until the server is stopped. */
    public void join() throws InterruptedException {
        Server j;
        synchronized (this) {
            j = jetty;
        }
        if (j != null) {
            j.join();
        }
    }

    /**
     * Stops listening and stops the running jobs without recording them as finished, so that the next start resumes
     * them; closes the store if the server opened it.
     */
    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (Exception e) {
                LOG.warn("cannot stop the HTTP server cleanly: {}", e.getMessage());
            }
        }
        if (jobs != null) {
            jobs.close();
        }
        if (store != null && ownsStore) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "MigrationServer[" + host + ":" + port + ", " + (token == null ? "loopback only" : "token ***") + "]";
    }

    /** Settings of a {@link MigrationServer}; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private String token;
        private boolean loopbackWithoutToken;
        private int maxConcurrentJobs = 2;
        private long maxBodyBytes = 1 << 20;
        private OnRestart onRestart = OnRestart.RESUME;
        private String migrationConfig;
        private CheckpointStore checkpoints;
        private Path checkpointFile = Path.of("migration-checkpoints.db");
        private Supplier<CheckpointStore> ownedStore;

        private Builder() {
        }

        /** The address to listen on. Default: {@code 127.0.0.1}. */
        public Builder host(String host) {
            this.host = requireNonNull(host, "host is null");
            return this;
        }

        /** The port, 0 for any free one. Default: 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "port must be 0-65535, found " + port);
            }
            this.port = port;
            return this;
        }

        /** The bearer token every API request must carry ({@code Authorization: Bearer ...}). Default: none. */
        public Builder token(String token) {
            this.token = token == null || token.isEmpty() ? null : token;
            return this;
        }

        /**
         * Takes requests without a token, from loopback only, on a loopback host only: for a server that only local
         * tools reach. Default: false (a token is required).
         */
        public Builder allowLoopbackWithoutToken(boolean allow) {
            this.loopbackWithoutToken = allow;
            return this;
        }

        /** Jobs run at once; more wait in a queue. Default: 2. */
        public Builder maxConcurrentJobs(int n) {
            if (n < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "maxConcurrentJobs must be at least 1, found "
                        + n);
            }
            this.maxConcurrentJobs = n;
            return this;
        }

        /** The largest request body taken; larger ones get 413. Default: 1 MiB. */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1024) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "maxBodyBytes must be at least 1024, found "
                        + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** What a start does with the jobs that were running when the server stopped. Default: RESUME. */
        public Builder onRestart(OnRestart onRestart) {
            this.onRestart = requireNonNull(onRestart, "onRestart is null");
            return this;
        }

        /**
         * The {@code migration.yaml} text that {@code /api/v1/start|dump|load} run when their body names no
         * config, as the Go tool ran its config file. Default: none (the body must carry {@code config}).
         */
        public Builder migrationConfig(String yaml) {
            this.migrationConfig = yaml;
            return this;
        }

        /** Where jobs are kept; the caller closes it after the server. Default: a SQLite file, see below. */
        public Builder checkpoints(CheckpointStore store) {
            this.checkpoints = requireNonNull(store, "store is null");
            return this;
        }

        /** A store the server opens when it starts and closes when it stops (server.yaml's checkpoint section). */
        Builder ownedCheckpoints(Supplier<CheckpointStore> store) {
            this.ownedStore = store;
            this.checkpoints = null;
            return this;
        }

        /** The SQLite file jobs are kept in when no store is given. Default: {@code migration-checkpoints.db}. */
        public Builder checkpointFile(Path file) {
            this.checkpointFile = requireNonNull(file, "file is null");
            return this;
        }

        /**
         * The server, not started.
         *
         * @throws MigrationException {@code INVALID_CONFIG} without a token unless loopback-only was allowed on a
         *                            loopback host
         */
        public MigrationServer build() {
            if (token == null) {
                if (!loopbackWithoutToken) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "the server needs a bearer token (token,"
                            + " or MIGRATION_SERVER_TOKEN), or allowLoopbackWithoutToken on a loopback host");
                }
                if (!isLoopback(host)) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "host " + host + " is not a loopback"
                            + " address: a server without a token listens on loopback only");
                }
            }
            return new MigrationServer(this);
        }

        private static boolean isLoopback(String host) {
            if (host.equals("localhost")) {
                return true;
            }
            try {
                // a literal address is not looked up
                return host.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
