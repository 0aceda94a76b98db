package io.milvus.migration.milvus2;

import static java.util.Objects.requireNonNull;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.TargetCollection;
import java.time.Duration;

/**
 * A Milvus 2.x instance as a target. Rows are loaded by bulk import of staged files (the default) or by inserts.
 * The client connects when the first collection is opened, so building a target does no I/O.
 *
 * <p>Bulk import reads files from Milvus's own storage: the staging storage given to the migration must be the
 * storage Milvus reads (its bucket, or for a standalone server with local storage its local storage path), and staged
 * keys are passed to Milvus prefixed by {@link Builder#importPathPrefix(String)}.
 *
 * <pre>{@code
 * Target target = MilvusTarget.builder().uri("http://127.0.0.1:19530").user("root").password("Milvus").build();
 * }</pre>
 */
public final class MilvusTarget implements Target {

    /** What to do when the target collection already exists. */
    public enum IfExists {
        /** Fail with {@code COLLECTION_EXISTS} (the default). */
        FAIL,
        /** Add the rows to it; its schema must match. */
        APPEND,
        /** Drop it and create it anew. */
        RECREATE
    }

    /** The index type name that means: build no index. */
    static final String NO_INDEX = "none";

    final Builder settings;
    private MilvusServiceClient client;
    private UncancelledCalls calls;
    private MilvusServer server;

    private MilvusTarget(Builder b) {
        this.settings = b.copy();
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return "milvus:" + settings.uri + "/" + settings.database;
    }

    @Override
    public boolean bulkImport() {
        return settings.bulkImport;
    }

    @Override
    public TargetCollection open(CollectionSchema schema, String jobId, boolean resume) {
        requireNonNull(schema, "schema is null");
        requireNonNull(jobId, "jobId is null");
        return MilvusCollection.open(this, client(), schema, jobId, resume);
    }

    /** Reads collections back (counts, rows by key, index, search) for {@code Migration.verify()}. */
    @Override
    public java.util.Optional<io.milvus.migration.spi.TargetReader> reader() {
        return java.util.Optional.of(new MilvusReader(this::client, describe()));
    }

    /**
     * A target for a URI {@code milvus://[user[:password]@]host[:port][/database[/collection]][?token=..&tls=true]};
     * credentials missing from the URI come from the environment ({@code MILVUS_TOKEN}, or {@code MILVUS_USER} and
     * {@code MILVUS_PASSWORD}). The collection part is not used here (see {@link MilvusTargetFactory}). Does no I/O.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the part of the URI at fault (never its secrets)
     */
    public static MilvusTarget fromUri(java.net.URI uri) {
        return builder(uri).build();
    }

    /** A configuration started from a URI as {@link #fromUri} reads it, for further settings. */
    public static Builder builder(java.net.URI uri) {
        return MilvusTargetFactory.builder(requireNonNull(uri, "uri is null"), System.getenv());
    }

    /** The server's version and what it takes, asked once. */
    synchronized MilvusServer server() {
        if (server == null) {
            var r = client().getVersion();
            server = MilvusServer.of(MilvusCollection.check(r, ErrorCode.TARGET_UNAVAILABLE, "tell its version on "
                    + describe()).getVersion());
        }
        return server;
    }

    synchronized MilvusServiceClient client() {
        if (client == null) {
            try {
                client = new MilvusServiceClient(MilvusServer.connectParam(settings.uri, settings.database,
                        settings.connectTimeout, settings.token, settings.user, settings.password));
            } catch (RuntimeException e) {
                throw new MigrationException(ErrorCode.TARGET_UNAVAILABLE, "cannot connect to Milvus at "
                        + settings.uri + " (database " + settings.database + "): " + MilvusCollection.reason(e), e);
            }
        }
        return client;
    }

    /** Where the collections' import calls run; closed with the target, before the client. */
    synchronized UncancelledCalls calls() {
        if (calls == null) {
            calls = new UncancelledCalls();
        }
        return calls;
    }

    @Override
    public synchronized void close() {
        if (calls != null) {
            calls.close();
            calls = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return "MilvusTarget[" + describe() + ", user=" + (settings.user == null ? "-" : settings.user)
                + ", token=" + (settings.token == null ? "-" : "****") + ", bulkImport=" + settings.bulkImport
                + ", ifExists=" + settings.ifExists + "]";
    }

    /** Settings of a {@link MilvusTarget}; not thread-safe. Secrets given here never appear in logs or errors. */
    public static final class Builder implements Cloneable {
        String uri = "http://localhost:19530";
        String user;
        String password;
        String token;
        String database = "default";
        int shards = 1;
        boolean shardsSet;
        String description;
        boolean dynamicField;
        String indexType;
        String indexParams = "{}";
        Boolean loadCollection;
        IfExists ifExists = IfExists.FAIL;
        boolean bulkImport = true;
        String importPathPrefix = "";
        Duration connectTimeout = Duration.ofSeconds(10);
        long insertBytes = 16L << 20;
        boolean upsert;

        private Builder() {
        }

        /** Server address, such as {@code http://127.0.0.1:19530} or {@code https://host:443}. Default
         * {@code http://localhost:19530}. */
        public Builder uri(String uri) {
            this.uri = requireNonNull(uri, "uri is null");
            return this;
        }

        /** User name for authentication. Default: none. */
        public Builder user(String user) {
            this.user = requireNonNull(user, "user is null");
            return this;
        }

        /** Password of {@link #user(String)}. Default: none. */
        public Builder password(String password) {
            this.password = requireNonNull(password, "password is null");
            return this;
        }

        /** API token (instead of user and password). Default: none. */
        public Builder token(String token) {
            this.token = requireNonNull(token, "token is null");
            return this;
        }

        /** Database. Default {@code default}. */
        public Builder database(String database) {
            this.database = requireNonNull(database, "database is null");
            return this;
        }

        /** Shards of created collections. Default: the source schema's shard count, else 1. */
        public Builder shards(int shards) {
            if (shards < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "shards must be >= 1: " + shards);
            }
            this.shards = shards;
            this.shardsSet = true;
            return this;
        }

        /** Description of created collections. Default: the source's description. */
        public Builder description(String description) {
            this.description = requireNonNull(description, "description is null");
            return this;
        }

        /** Whether created collections have a dynamic field. Default false. */
        public Builder dynamicField(boolean enabled) {
            this.dynamicField = enabled;
            return this;
        }

        /**
         * Builds a vector index of this type (a Milvus index type name such as {@code AUTOINDEX}, {@code IVF_FLAT},
         * {@code HNSW}) with {@link #indexParams} after the data is in; {@code none} builds none. Default: the index
         * the source suggests (Faiss IVF_FLAT with nlist n gives IVF_FLAT with nlist n, HNSW gives HNSW with the same
         * M and efConstruction, ...), else AUTOINDEX (BIN_FLAT for binary vectors), with the field's metric; an
         * index that exists already (an append) is kept.
         */
        public Builder createIndex(String indexType) {
            this.indexType = requireNonNull(indexType, "indexType is null");
            return this;
        }

        /** Index build parameters as JSON, such as {@code {"nlist":1024}}. Default {@code {}}. */
        public Builder indexParams(String json) {
            this.indexParams = requireNonNull(json, "json is null");
            return this;
        }

        /** Builds no index (and, unless {@link #loadCollection} says otherwise, does not load). */
        public Builder noIndex() {
            return createIndex(NO_INDEX);
        }

        /** Loads the collection into memory after the data is in (needs an index). Default: true when the
         * collection has an index. */
        public Builder loadCollection(boolean load) {
            this.loadCollection = load;
            return this;
        }

        /** What to do if the collection exists. Default {@link IfExists#FAIL}. */
        public Builder ifExists(IfExists ifExists) {
            this.ifExists = requireNonNull(ifExists, "ifExists is null");
            return this;
        }

        /** Bulk import staged files (true) or insert rows in batches (false). Default true. */
        public Builder bulkImport(boolean bulkImport) {
            this.bulkImport = bulkImport;
            return this;
        }

        /** Put before each staged key to form the path Milvus imports from. Default "". */
        public Builder importPathPrefix(String prefix) {
            this.importPathPrefix = requireNonNull(prefix, "prefix is null");
            return this;
        }

        /** How long connecting may take. Default 10 seconds. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        /** Largest insert request in bytes, in insert mode. Default 16 MiB. */
        public Builder insertBytes(long bytes) {
            if (bytes < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "insertBytes must be >= 1: " + bytes);
            }
            this.insertBytes = bytes;
            return this;
        }

        /**
         * In insert mode, whether rows are upserted (a key the collection holds already is replaced) instead of
         * inserted. Default false.
         */
        public Builder upsert(boolean upsert) {
            this.upsert = upsert;
            return this;
        }

        /** Freezes the settings; does not connect. */
        public MilvusTarget build() {
            return new MilvusTarget(this);
        }

        Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String toString() {
            return "MilvusTarget.Builder[uri=" + uri + ", database=" + database + ", password=****]";
        }
    }
}
