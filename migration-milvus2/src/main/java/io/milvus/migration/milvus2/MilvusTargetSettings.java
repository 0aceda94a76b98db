package io.milvus.migration.milvus2;

/**
 * The typed description of a {@link MilvusTarget} in a {@code migration.yaml}, bound by public fields: the old
 * tool's {@code target.milvus2x} ({@code endpoint, username, password, token, database, mode, writeMode, grpc}) and
 * {@code target.create.collection} ({@code shards, description, enableDynamicField, ifExists, index,
 * indexParams, load}). {@link #toString()} never shows the password or token.
 */
public class MilvusTargetSettings {
    /** {@code host:port} or a URL; required. */
    public String endpoint;
    /** User name, or null. */
    public String username;
    /** Password of {@link #username}, or null. */
    public String password;
    /** API token instead of user and password, or null. */
    public String token;
    /** Database, or null for {@code default}. */
    public String database;
    /** {@code bulkImport} (stage files and import them) or {@code insert}; overrides {@link #bulkImport}. */
    public String mode;
    /** {@code insert} or {@code upsert}: rows are written by insert requests, upserted or not. */
    public String writeMode;
    /** Whether rows are staged and bulk imported (default) or inserted; {@link #mode} and {@link #writeMode} win. */
    public boolean bulkImport = true;
    /** The old tool's gRPC message limits: accepted; a page too large for gRPC is halved instead. */
    public Grpc grpc;
    /** Shards of created collections, or null for the source's. */
    public Integer shards;
    /** Description of created collections, or null for the source's. */
    public String description;
    /** Whether created collections have a dynamic field, or null for the default (none). */
    public Boolean enableDynamicField;
    /** fail (default), append or recreate. */
    public String ifExists;
    /** A Milvus index type, or {@code none}; null for the source's suggestion. */
    public String index;
    /** Index build parameters as JSON, such as {@code {"nlist":1024}}; only with {@link #index}. */
    public String indexParams;
    /** Whether to load the collection after the data is in; null for: when it has an index. */
    public Boolean load;

    /** The old tool's {@code grpc} section. */
    public static class Grpc {
        /** Accepted. */
        public Integer maxCallRecvMsgSize;
        /** Accepted. */
        public Integer maxCallSendMsgSize;
    }

    @Override
    public String toString() {
        return "MilvusTargetSettings[endpoint=" + endpoint + ", database=" + database + ", username=" + username
                + ", password=" + (password == null ? "none" : "****") + ", token=" + (token == null ? "none"
                : "****") + ", mode=" + mode + ", writeMode=" + writeMode + ", bulkImport=" + bulkImport + "]";
    }
}
