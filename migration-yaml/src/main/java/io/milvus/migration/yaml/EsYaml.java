package io.milvus.migration.yaml;

import io.milvus.migration.MigrationException;
import io.milvus.migration.es.EsConnection;
import io.milvus.migration.es.EsSource;
import io.milvus.migration.spi.ConsistencyLevel;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code workMode: elasticsearch} part of a {@code migration.yaml}: the Go tool's {@code meta} ({@code mode: config,
 * version, index, fields[{name, type, pk, dims, maxLen}], milvus{collection, closeDynamicField, shardNum,
 * consistencyLevel}}) and {@code source.es} ({@code urls, username, password, cert, fingerprint, serviceToken,
 * cloudId, apiKey}), plus this library's additions: without {@code fields} the schema comes from the index mapping;
 * {@code meta.{indices, merge, slices, query, sourceIncludes, sourceExcludes, dates, badVectors, readMode,
 * truncateLongStrings, keepAliveSeconds}}, field keys {@code elementType, maxCapacity, metric, nullable}, and
 * {@code source.es.verifyTls}.
 */
final class EsYaml {
    /** What the ES part gives the rest of the file: the source and the Milvus settings of meta.milvus. */
    record Result(Source source, Optional<String> collection, Optional<Integer> shards, Optional<Boolean> dynamic) {
    }

    private EsYaml() {
    }

    /**
     * Reads {@code meta} and {@code source.es}; builds the source when {@code open} (else only checks the keys).
     *
     * @param pageSize {@code dumper.worker.reader.bufferSize}: documents per search request, for this work mode
     */
    static Result read(ConfigNode root, ConfigNode sourceNode, Integer pageSize, Integer parallelism, boolean open) {
        ConfigNode meta = root.node("meta");
        meta.optChoice("mode", "config");
        // the old tool's targets (Milvus 2.3/2.4) have no nullable fields: every listed or mapped field needs a value
        var b = EsSource.builder().nullableFields(false);
        List<String> indices = new ArrayList<>(meta.optStrings("index"));
        indices.addAll(meta.optStrings("indices"));
        if (indices.isEmpty()) {
            throw meta.error("index", "is missing: the index, alias or pattern to read");
        }
        b.indices(indices);
        Optional<String> version = meta.optString("version");
        boolean openSearch = meta.optBool("openSearch").orElse(false);
        version.filter(v -> v.matches("\\d+\\.\\d+.*")).ifPresent(v -> b.version(v, openSearch));
        meta.optBool("merge").ifPresent(b::merge);
        Optional<Integer> slices = meta.optInt("slices");
        slices.or(() -> Optional.ofNullable(parallelism)).ifPresent(n -> guard(meta, "slices", () -> b.slices(n)));
        if (pageSize != null) {
            guard(root, "dumper.worker.reader.bufferSize", () -> b.pageSize(pageSize));
        }
        meta.optString("query").ifPresent(q -> guard(meta, "query", () -> b.query(q)));
        b.sourceIncludes(meta.optStrings("sourceIncludes"));
        b.sourceExcludes(meta.optStrings("sourceExcludes"));
        meta.optChoice("dates", "epoch", "varchar").ifPresent(d -> b.dates(EsSource.DateMode.valueOf(d.toUpperCase(Locale.ROOT))));
        meta.optChoice("badVectors", "fail", "skip")
                .ifPresent(v -> b.badVectors(EsSource.BadVectors.valueOf(v.toUpperCase(Locale.ROOT))));
        meta.optChoice("readMode", "auto", "pit", "scroll")
                .ifPresent(v -> b.readMode(EsSource.ReadMode.valueOf(v.toUpperCase(Locale.ROOT))));
        meta.optBool("truncateLongStrings").ifPresent(b::truncateLongStrings);
        meta.optInt("keepAliveSeconds").ifPresent(s -> guard(meta, "keepAliveSeconds",
                () -> b.keepAlive(Duration.ofSeconds(s))));

        List<ConfigNode> fieldNodes = meta.optNodes("fields");
        if (!fieldNodes.isEmpty()) {
            var fields = new ArrayList<FieldSchema>();
            for (ConfigNode f : fieldNodes) {
                FieldSchema schema = field(f);
                if (f.optBool("pk").orElse(false)) {
                    b.primaryKey(schema.name());
                }
                if (f.has("metric")) {
                    b.field(schema);   // a metric of its own, not the mapping's
                }
                fields.add(schema);
            }
            b.fields(fields);
        }

        Optional<String> collection = Optional.empty();
        Optional<Integer> shards = Optional.empty();
        Optional<Boolean> dynamic = Optional.empty();
        Optional<ConfigNode> milvus = meta.optNode("milvus");
        if (milvus.isPresent()) {
            ConfigNode m = milvus.get();
            collection = m.optString("collection");
            collection.ifPresent(c -> indices.forEach(i -> b.collectionName(i, c)));
            Optional<Boolean> closed = m.optBool("closeDynamicField");
            closed.ifPresent(c -> b.dynamicField(!c));
            dynamic = closed.map(c -> !c);
            shards = m.optInt("shardNum");
            m.optString("consistencyLevel").ifPresent(level -> consistency(m, level));
        }

        ConfigNode es = sourceNode == null ? null : sourceNode.node("es");
        if (es == null) {
            return new Result(null, collection, shards, dynamic);
        }
        var c = EsConnection.builder();
        List<String> urls = es.optStrings("urls");
        urls.forEach(c::url);
        es.optString("cloudId").ifPresent(c::cloudId);
        Optional<String> user = es.optString("username");
        Optional<String> password = es.optString("password");
        if (user.isPresent()) {
            c.basicAuth(user.get(), password.orElse(""));
        } else if (password.isPresent()) {
            throw es.error("password", "needs a username");
        }
        es.optString("apiKey").ifPresent(c::apiKey);
        // the Go tool's examples write "Bearer xxx"; the token itself is sent as a bearer token
        es.optString("serviceToken").map(t -> t.replaceFirst("^Bearer\\s+", "")).ifPresent(c::serviceToken);
        es.optString("cert").ifPresent(p -> c.caCertificate(Path.of(p)));
        es.optString("fingerprint").ifPresent(c::fingerprint);
        es.optBool("verifyTls").ifPresent(c::verifyTls);
        guard(es, urls.isEmpty() ? "cloudId" : "urls", () -> b.connection(c.build()));
        if (!open) {
            return new Result(null, collection, shards, dynamic);
        }
        return new Result(b.build(), collection, shards, dynamic);
    }

    /** The Go tool's consistency levels; Milvus's own are applied by the target, the rest only checked. */
    private static void consistency(ConfigNode m, String level) {
        String l = level.trim().toUpperCase(Locale.ROOT);
        if (!l.equals("CUSTOMIZED")) {
            try {
                ConsistencyLevel.valueOf(l);
            } catch (IllegalArgumentException e) {
                throw m.error("consistencyLevel", "must be Strong, Session, Bounded, Eventually or Customized, found '"
                        + level + "'");
            }
        }
    }

    /** One {@code meta.fields} entry: the Go tool's ES type names, or this library's Milvus type names. */
    static FieldSchema field(ConfigNode f) {
        String name = f.string("name");
        String type = f.string("type").trim();
        Optional<Integer> maxLen = f.optInt("maxLen");
        Optional<Integer> dims = f.optInt("dims");
        f.optBool("pk");
        DataType t = switch (type.toLowerCase(Locale.ROOT)) {
            case "keyword", "text", "varchar", "wildcard", "ip" -> DataType.VARCHAR;
            case "long", "int64", "unsigned_long", "date", "date_nanos" -> DataType.INT64;
            case "integer", "int32" -> DataType.INT32;
            case "short", "int16" -> DataType.INT16;
            case "byte", "int8" -> DataType.INT8;
            case "double" -> DataType.DOUBLE;
            case "float", "half_float" -> DataType.FLOAT;
            case "boolean", "bool" -> DataType.BOOL;
            case "dense_vector", "knn_vector", "float_vector" -> DataType.FLOAT_VECTOR;
            case "binary_vector" -> DataType.BINARY_VECTOR;
            case "sparse_vector", "rank_features", "sparse_float_vector" -> DataType.SPARSE_FLOAT_VECTOR;
            case "json", "object", "nested", "flattened", "geo_point", "geo_shape" -> DataType.JSON;
            case "array" -> DataType.ARRAY;
            default -> throw f.error("type", "'" + type + "' is not a type this source maps (keyword, text, long, "
                    + "integer, short, byte, double, float, boolean, date, dense_vector, knn_vector, sparse_vector, "
                    + "object, nested, json, array)");
        };
        var b = FieldSchema.builder(name, t);
        boolean pk = f.optBool("pk").orElse(false);
        if (t == DataType.VARCHAR || t == DataType.ARRAY) {
            maxLen.ifPresent(b::maxLength);
            if (t == DataType.VARCHAR && maxLen.isEmpty()) {
                b.maxLength(FieldSchema.MAX_VARCHAR_LENGTH);
            }
        } else if (maxLen.isPresent()) {
            throw f.error("maxLen", "is for keyword and text fields");
        }
        if (t.isVector() && t != DataType.SPARSE_FLOAT_VECTOR) {
            b.dimension(dims.orElseThrow(() -> f.error("dims", "is missing for vector field " + name)));
        } else if (dims.isPresent()) {
            throw f.error("dims", "is for vector fields");
        }
        f.optChoice("metric", "L2", "IP", "COSINE", "HAMMING", "JACCARD").ifPresent(m -> b.metric(MetricType.valueOf(m)));
        if (t == DataType.ARRAY) {
            String element = f.string("elementType").toUpperCase(Locale.ROOT);
            try {
                b.elementType(DataType.valueOf(element));
            } catch (IllegalArgumentException e) {
                throw f.error("elementType", "'" + element + "' is not a Milvus scalar type");
            }
            b.maxCapacity(f.optInt("maxCapacity").orElseThrow(() -> f.error("maxCapacity", "is missing for an array")));
        }
        if (!pk && !t.isVector()) {
            b.nullable(f.optBool("nullable").orElse(true));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw f.error("type", e.getMessage());
        }
    }

    private static void guard(ConfigNode node, String key, Runnable r) {
        try {
            r.run();
        } catch (MigrationException e) {
            throw node.error(key, e.reason());
        }
    }
}
