package io.milvus.migration.weaviate;

import java.util.List;

/**
 * The {@code source.weaviate} section of a {@code migration.yaml}, bound by {@link WeaviateSourceFactory}. Each field
 * maps onto the {@link WeaviateSource.Builder} method of the same meaning; its default is that method's.
 * {@link #toString()} never shows the API key.
 */
public final class WeaviateSettings {
    /** The server's REST address, such as {@code http://127.0.0.1:8080}. */
    public String url = "http://localhost:8080";
    /** The classes (collections) to read; empty for all. */
    public List<String> collections = List.of();
    /** Another name for {@link #collections}, as Weaviate's older documents call them. */
    public List<String> classes = List.of();
    /** The API key (a secret: prefer {@link #apiKeyEnv}). */
    public String apiKey;
    /** The name of an environment variable holding the API key. */
    public String apiKeyEnv;
    /** The vectors to carry by name ({@code vector}: the legacy one); empty for all. */
    public List<String> vectors = List.of();
    /** The tenants of multi-tenant classes to read; empty for all. */
    public List<String> tenants = List.of();
    /** Objects per REST request. */
    public int pageSize = 500;
    /** Objects per split. */
    public long partRows = 100_000;
    /** {@code epoch_millis} or {@code text}. */
    public String dates = "epoch_millis";
    /** The max length in bytes of text fields. */
    public int textMaxLength = 65_535;
    /** The max capacity of array fields. */
    public int arrayCapacity = 4096;
    /** Whether property fields are nullable (false for Milvus before 2.5). */
    public boolean nullableFields = true;
    /** The timeout of each HTTP request, in seconds. */
    public int requestTimeoutSeconds = 60;

    @Override
    public String toString() {
        return "WeaviateSettings[url=" + url + ", collections=" + (collections.isEmpty() ? classes : collections)
                + (apiKey == null ? "" : ", apiKey=***") + (apiKeyEnv == null ? "" : ", apiKeyEnv=" + apiKeyEnv)
                + ", vectors=" + vectors + ", tenants=" + tenants + ", pageSize=" + pageSize + ", partRows="
                + partRows + ", dates=" + dates + ", nullableFields=" + nullableFields + "]";
    }
}
