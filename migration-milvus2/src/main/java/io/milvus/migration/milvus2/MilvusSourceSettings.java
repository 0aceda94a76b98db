package io.milvus.migration.milvus2;

import java.util.List;

/**
 * The typed description of a {@link MilvusSource} in a {@code migration.yaml} ({@code source.milvus}, or the old
 * tool's {@code source.milvus2x} with {@code meta.collection(s)}, {@code meta.databases} and
 * {@code meta.milvus.autoId}), bound by public fields. {@link #toString()} never shows the password or token.
 */
public class MilvusSourceSettings {
    /** {@code host:port} or a URL; required. */
    public String endpoint;
    /** User name, or null. */
    public String username;
    /** Password of {@link #username}, or null. */
    public String password;
    /** API token instead of user and password, or null. */
    public String token;
    /** Database of {@link #collections}, or null for {@code default}. */
    public String database;
    /** The old tool's gRPC message limits: accepted; a page too large for gRPC is halved instead. */
    public MilvusTargetSettings.Grpc grpc;
    /** The collections to copy, each with the name it gets in the target (default its own). */
    public List<Collection> collections;
    /** Databases whose every collection is copied. */
    public List<String> databases;
    /** Whether the target gives new ids (true) or keeps the source's (false); null for the collection's own. */
    public Boolean newIds;
    /** Rows per read of the source, 1 to 16384; null for the default. */
    public Integer pageRows;

    /** One collection to copy. */
    public static class Collection {
        /** Its name in the source; required. */
        public String name;
        /** Its name in the target, or null for the same. */
        public String target;
    }

    @Override
    public String toString() {
        return "MilvusSourceSettings[endpoint=" + endpoint + ", database=" + database + ", username=" + username
                + ", password=" + (password == null ? "none" : "****") + ", token=" + (token == null ? "none"
                : "****") + "]";
    }
}
