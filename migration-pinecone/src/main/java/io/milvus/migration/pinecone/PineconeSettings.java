package io.milvus.migration.pinecone;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code source.pinecone} section of a {@code migration.yaml}, bound by {@link PineconeSourceFactory}. Each field
 * maps onto the {@link PineconeSource.Builder} method of the same meaning; its default is that method's.
 */
public final class PineconeSettings {
    /**
     * The API key. A secret: printed by nothing. Default none: then the environment variable named by
     * {@link #apiKeyEnv} holds it.
     */
    public String apiKey;
    /** The environment variable that holds the API key when {@link #apiKey} is not given. */
    public String apiKeyEnv = "PINECONE_API_KEY";
    /** The index. Required. */
    public String index;
    /** The namespaces to read ("" or {@code __default__} for the default one); empty for all. */
    public List<String> namespaces = List.of();
    /** The control plane's URL; {@code http://localhost:5080} for Pinecone Local. */
    public String controllerUrl = "https://api.pinecone.io";
    /** The data plane's host:port instead of the one the control plane names. */
    public String host;
    /** Whether the data plane is spoken to over TLS. */
    public boolean useTls = true;
    /** Ids per list request. */
    public int pageSize = 100;
    /** The collection's name; default the index's name with each - replaced by _. */
    public String collection;
    /** {@code auto}, {@code include} or {@code drop}: a dense index's sparse values. */
    public String sparseValues = "auto";
    /** Metadata key to field type: {@code string}, {@code number}, {@code boolean} or {@code string_list}. */
    public Map<String, String> metadataFields = new LinkedHashMap<>();
    /** Whether typed metadata fields are nullable. */
    public boolean nullableFields = true;
    /** The deadline of each request, in seconds. */
    public int requestTimeoutSeconds = 60;

    /** Names the index and the URL; never the key. */
    @Override
    public String toString() {
        return "PineconeSettings[index=" + index + ", controllerUrl=" + controllerUrl + ", apiKey="
                + (apiKey == null ? "none" : "***") + "]";
    }
}
