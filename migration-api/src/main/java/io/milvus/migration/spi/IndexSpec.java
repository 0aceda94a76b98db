package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A vector index as Milvus 2.x names it: its type ({@code IVF_FLAT}, {@code HNSW}, {@code FLAT}, {@code BIN_FLAT},
 * ...), its metric and its build parameters ({@code nlist}, {@code M}, {@code efConstruction}, ...). Immutable;
 * built by {@link #builder(String)}. A source suggests one that matches its own index
 * ({@link Source#suggestedIndex}); a target builds it.
 */
public final class IndexSpec {
    private final String type;
    private final MetricType metric;
    private final Map<String, Long> params;

    private IndexSpec(Builder b) {
        this.type = b.type;
        this.metric = b.metric;
        this.params = Collections.unmodifiableMap(new TreeMap<>(b.params));
    }

    /** Starts an index of this Milvus type name, upper case (such as {@code IVF_FLAT}). */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** The Milvus index type name, upper case. */
    public String type() {
        return type;
    }

    /** The metric; empty when the index takes the vector field's metric. */
    public Optional<MetricType> metric() {
        return Optional.ofNullable(metric);
    }

    /** Build parameters, sorted by name; empty when the type takes none. */
    public Map<String, Long> params() {
        return params;
    }

    /** One build parameter, if set. */
    public Optional<Long> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** The parameters as a JSON object, such as {@code {"nlist":1024}}. */
    public String paramsJson() {
        var s = new StringBuilder("{");
        params.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return s.append('}').toString();
    }

    /** This index with another metric. */
    public IndexSpec withMetric(MetricType newMetric) {
        Builder b = new Builder(type).metric(newMetric);
        b.params.putAll(params);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexSpec other && type.equals(other.type) && java.util.Objects.equals(metric,
                other.metric) && params.equals(other.params);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, metric, params);
    }

    @Override
    public String toString() {
        return type + (metric == null ? "" : "/" + metric) + (params.isEmpty() ? "" : " " + paramsJson());
    }

    /** Collects an index's settings; not thread-safe. */
    public static final class Builder {
        private final String type;
        private MetricType metric;
        private final Map<String, Long> params = new TreeMap<>();

        private Builder(String type) {
            requireNonNull(type, "type is null");
            if (type.isBlank()) {
                throw new IllegalArgumentException("index type is blank");
            }
            this.type = type.toUpperCase(java.util.Locale.ROOT);
        }

        /** The metric. Default: none (the vector field's metric). */
        public Builder metric(MetricType metric) {
            this.metric = requireNonNull(metric, "metric is null");
            return this;
        }

        /** A build parameter, such as {@code nlist} 1024. Default: none. */
        public Builder param(String name, long value) {
            params.put(requireNonNull(name, "name is null"), value);
            return this;
        }

        /** Freezes the settings. */
        public IndexSpec build() {
            return new IndexSpec(this);
        }
    }
}
