package io.milvus.migration.qdrant;

import java.util.List;

/**
 * The {@code source.qdrant} section of a {@code migration.yaml}, bound by {@link QdrantSourceFactory}. Each field maps
 * onto the {@link QdrantSource.Builder} method of the same meaning; its default is that method's. {@link #toString()}
 * never shows the API key.
 */
public final class QdrantSettings {
    /** The server's host. */
    public String host = "localhost";
    /** The server's gRPC port. */
    public int port = 6334;
    /** The API key (a secret: never logged or shown). Prefer {@link #apiKeyEnv}. */
    public String apiKey;
    /** The name of an environment variable holding the API key. */
    public String apiKeyEnv;
    /** Whether to speak TLS. */
    public boolean useTls;
    /** The collections to read; empty for all. */
    public List<String> collections = List.of();
    /** Points per scroll request. */
    public int pageSize = 256;
    /** Points per split; 0 for one split per collection. */
    public long partPoints = 100_000;
    /** Whether indexed payload keys become fields (else the whole payload goes to the dynamic field). */
    public boolean payloadFields = true;
    /** Whether payload fields are nullable; off, a point lacking an indexed key fails naming it (Milvus before 2.5). */
    public boolean nullableFields;
    /** The timeout of each request, in seconds. */
    public int timeoutSeconds = 60;

    @Override
    public String toString() {
        return "QdrantSettings[host=" + host + ", port=" + port + ", useTls=" + useTls
                + (apiKey == null ? "" : ", apiKey=***") + (apiKeyEnv == null ? "" : ", apiKeyEnv=" + apiKeyEnv)
                + ", collections=" + collections + ", pageSize=" + pageSize + ", partPoints=" + partPoints
                + ", payloadFields=" + payloadFields + ", nullableFields=" + nullableFields + ", timeoutSeconds="
                + timeoutSeconds + "]";
    }
}
