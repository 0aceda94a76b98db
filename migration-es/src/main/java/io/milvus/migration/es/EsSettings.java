package io.milvus.migration.es;

import java.util.List;

/**
 * The typed description of an {@link EsSource} in a {@code migration.yaml} ({@code source.elasticsearch}, or the
 * old tool's {@code meta.*} with {@code source.es}), bound by public fields. Field types are the old tool's
 * Elasticsearch names ({@code keyword, text, long, integer, short, byte, double, float, boolean, date,
 * dense_vector, knn_vector, sparse_vector, object, nested, ...}) or Milvus type names. {@link #toString()} never
 * shows the password, API key or service token.
 */
public class EsSettings {
    /** Indices, aliases or patterns to read; at least one. */
    public List<String> indices;
    /** The server's version ({@code 8.19}), for credentials that may not read {@code /_nodes/_local}. */
    public String version;
    /** With {@link #version}: an OpenSearch version. */
    public boolean openSearch;
    /** All indices of an expression into one collection. */
    public Boolean merge;
    /** Slices per index. */
    public Integer slices;
    /** Documents per search request. */
    public Integer pageSize;
    /** A search {@code query} object as JSON. */
    public String query;
    /** Only these source fields. */
    public List<String> sourceIncludes;
    /** Not these source fields. */
    public List<String> sourceExcludes;
    /** {@code epoch} or {@code varchar}. */
    public String dates;
    /** {@code fail} or {@code skip}. */
    public String badVectors;
    /** {@code auto}, {@code pit} or {@code scroll}. */
    public String readMode;
    /** Cut strings longer than the field allows instead of failing. */
    public Boolean truncateLongStrings;
    /** How long a point in time or scroll is kept between pages. */
    public Integer keepAliveSeconds;
    /** The fields to copy; without them the schema comes from the index mapping. */
    public List<Field> fields;
    /** The collection every index becomes, or null for the index names. */
    public String collection;
    /** Whether the collection has a dynamic field for the fields not listed. */
    public Boolean dynamicField;
    /** Whether scalar fields may hold nulls (the old tool's targets have none: false there). */
    public Boolean nullableFields;
    /** Server URLs; or {@link #cloudId}. */
    public List<String> urls;
    /** An Elastic Cloud id instead of {@link #urls}. */
    public String cloudId;
    /** Basic authentication user. */
    public String username;
    /** Basic authentication password; needs {@link #username}. */
    public String password;
    /** An API key. */
    public String apiKey;
    /** A service token ({@code Bearer } in front is ignored). */
    public String serviceToken;
    /** A PEM CA certificate file. */
    public String cert;
    /** The server certificate's SHA-256. */
    public String fingerprint;
    /** Whether TLS certificates are checked. */
    public Boolean verifyTls;

    /** One field of {@link #fields}. */
    public static class Field {
        /** Required. */
        public String name;
        /** Required: an Elasticsearch or Milvus type name. */
        public String type;
        /** The primary key. */
        public Boolean pk;
        /** Dimension of a dense vector. */
        public Integer dims;
        /** Length of a keyword/text (VarChar) or capacity of an array's strings. */
        public Integer maxLen;
        /** Element type of an array (a Milvus scalar type). */
        public String elementType;
        /** Capacity of an array. */
        public Integer maxCapacity;
        /** Metric of a vector: L2, IP, COSINE, HAMMING or JACCARD. */
        public String metric;
        /** Whether a scalar may hold nulls (default true). */
        public Boolean nullable;
    }

    @Override
    public String toString() {
        return "EsSettings[indices=" + indices + ", urls=" + urls + ", username=" + username + ", password="
                + (password == null ? "none" : "****") + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", serviceToken=" + (serviceToken == null ? "none" : "****") + "]";
    }
}
