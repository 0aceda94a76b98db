package io.milvus.migration.chroma;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code source.chroma} section of a {@code migration.yaml}, bound by {@link ChromaSourceFactory}. Each field
 * maps onto the {@link ChromaSource.Builder} method of the same meaning; its default is that method's.
 */
public final class ChromaSettings {
    /** The server, such as {@code http://127.0.0.1:8000}. */
    public String url = "http://localhost:8000";
    /** The tenant. */
    public String tenant = "default_tenant";
    /** The database. */
    public String database = "default_database";
    /** The collections to read; empty for all. */
    public List<String> collections = List.of();
    /** The name of an environment variable holding the token (a token itself is never written in YAML). */
    public String tokenEnv;
    /** The header carrying the token: {@code x-chroma-token} or {@code Authorization}. */
    public String tokenHeader = "x-chroma-token";
    /** Records per split. */
    public long partRows = 10_000;
    /** {@code fields_where_uniform} or {@code dynamic}. */
    public String metadata = "fields_where_uniform";
    /** Metadata key to field type (bool, int8, int16, int32, int64, float, double, varchar, json). */
    public Map<String, String> metadataFields = new LinkedHashMap<>();
    /** The timeout of each HTTP request, in seconds. */
    public int requestTimeoutSeconds = 60;
}
