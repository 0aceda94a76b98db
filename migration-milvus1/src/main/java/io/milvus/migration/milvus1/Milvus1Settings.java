package io.milvus.migration.milvus1;

import io.milvus.migration.spi.RemoteStorageSettings;

/**
 * The typed description of a {@link Milvus1Source} in a {@code migration.yaml} ({@code source.milvus1}, or the
 * old tool's {@code meta.*} with {@code source.local/remote.tablesDir}), bound by public fields. The password is
 * never shown by {@link #toString()}.
 */
public class Milvus1Settings {
    /**
     * Where the catalogue is: {@code sqlite} ({@link #sqliteFile}), {@code mysql} ({@link #mysqlUrl}), {@code mock}
     * ({@link #mockFile}) or {@code local} ({@link #localFile}): the old tool's {@code meta.json}, or
     * {@code remote}: that file at {@link #remoteMetaFile} in {@link #remote}. Required.
     */
    public String metaMode;
    /** The Milvus 1.x {@code meta.sqlite}. */
    public String sqliteFile;
    /** The old tool's Go DSN {@code user:password@tcp(host:port)/db}, or a JDBC URL with {@link #mysqlUser}. */
    public String mysqlUrl;
    /** With a JDBC {@link #mysqlUrl} only. */
    public String mysqlUser;
    /** With a JDBC {@link #mysqlUrl} only. */
    public String mysqlPassword;
    /** A {@code meta.json} (the old tool's mock mode). */
    public String mockFile;
    /** A {@code meta.json}. */
    public String localFile;
    /** The key of a {@code meta.json} in {@link #remote} (a leading '/' is ignored). */
    public String remoteMetaFile;
    /** The directory of {@code <table_id>/<segment_id>/}, or with {@link #remote} its key prefix. Required. */
    public String tablesDir;
    /** The object store holding the segment files (and a remote {@code meta.json}), or null for local files. */
    public RemoteStorageSettings remote;

    @Override
    public String toString() {
        return "Milvus1Settings[metaMode=" + metaMode + ", tablesDir=" + tablesDir + ", remote=" + remote
                + ", mysqlPassword=" + (mysqlPassword == null ? "none" : "****") + "]";
    }
}
