package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An index as Milvus 2.x names it: its type ({@code IVF_FLAT}, {@code HNSW}, {@code FLAT}, {@code BIN_FLAT},
 * {@code INVERTED}, {@code STL_SORT}, ...), the field it is on (the collection's vector field when not named), its
 * metric and its build parameters ({@code nlist}, {@code M}, {@code efConstruction}, {@code drop_ratio_build}, ...).
 * Immutable; built by {@link #builder(String)}. A source suggests the indexes it had
 * ({@link Source#suggestedIndexes}); a target builds them.
 */
public final class IndexSpec {
    private final String type;
    private final String field;
    private final String name;
    private final MetricType metric;
    private final Map<String, Object> params;

    private IndexSpec(Builder b) {
        this.type = b.type;
        this.field = b.field;
        this.name = b.name;
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

    /** The field the index is on; empty for the collection's (first) vector field. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The index name; empty for the target's default. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The metric; empty when the index takes the vector field's metric. */
    public Optional<MetricType> metric() {
        return Optional.ofNullable(metric);
    }

    /** Build parameters (Long, Double, Boolean or String), sorted by name; empty when the type takes none. */
    public Map<String, Object> params() {
        return params;
    }

    /** One build parameter, if set. */
    public Optional<Object> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** The parameters as a JSON object, such as {@code {"nlist":1024}}. */
    public String paramsJson() {
        var s = new StringBuilder("{");
        params.forEach((k, v) -> {
            s.append(s.length() > 1 ? "," : "");
            quote(s, k).append(':');
            if (v instanceof String text) {
                quote(s, text);
            } else {
                s.append(v);
            }
        });
        return s.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder s, String text) {
        s.append('"');
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.append((char) c);
            }
        });
        return s.append('"');
    }

    /** This index with another metric. */
    public IndexSpec withMetric(MetricType newMetric) {
        return toBuilder().metric(newMetric).build();
    }

    /** This index on another field. */
    public IndexSpec onField(String newField) {
        return toBuilder().field(newField).build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(type);
        b.field = field;
        b.name = name;
        b.metric = metric;
        b.params.putAll(params);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexSpec other && type.equals(other.type) && java.util.Objects.equals(metric,
                other.metric) && params.equals(other.params) && java.util.Objects.equals(field, other.field)
                && java.util.Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, field, metric, params);
    }

    @Override
    public String toString() {
        return (field == null ? "" : field + ":") + type + (metric == null ? "" : "/" + metric) + (params.isEmpty() ? "" : " " + paramsJson());
    }

    /** Collects an index's settings; not thread-safe. */
    public static final class Builder {
        private final String type;
        private String field;
        private String name;
        private MetricType metric;
        private final Map<String, Object> params = new TreeMap<>();

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

        /** The field the index is on. Default: the collection's (first) vector field. */
        public Builder field(String field) {
            this.field = requireNonNull(field, "field is null");
            return this;
        }

        /** The index name. Default: the target's. */
        public Builder name(String name) {
            this.name = requireNonNull(name, "name is null");
            return this;
        }

        /** A build parameter, such as {@code nlist} 1024. Default: none. */
        public Builder param(String name, long value) {
            params.put(requireNonNull(name, "name is null"), value);
            return this;
        }

        /** A build parameter, such as {@code drop_ratio_build} 0.2. */
        public Builder param(String name, double value) {
            params.put(requireNonNull(name, "name is null"), value);
            return this;
        }

        /** A build parameter, such as {@code with_raw_data} true. */
        public Builder param(String name, boolean value) {
            params.put(requireNonNull(name, "name is null"), value);
            return this;
        }

        /** A build parameter given as text. */
        public Builder param(String name, String value) {
            params.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /** Freezes the settings. */
        public IndexSpec build() {
            return new IndexSpec(this);
        }
    }
}
