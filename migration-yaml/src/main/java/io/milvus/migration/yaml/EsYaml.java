package io.milvus.migration.yaml;

import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.ConsistencyLevel;
import io.milvus.migration.spi.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
     * Reads {@code meta} and {@code source.es} into the Elasticsearch plug-in's settings; creates the source when
     * {@code open} (else only validates them).
     *
     * @param pageSize {@code dumper.worker.reader.bufferSize}: documents per search request, for this work mode
     */
    static Result read(ConfigNode root, ConfigNode sourceNode, Integer pageSize, Integer parallelism, boolean open,
                       ConfigurableSourceFactory<?> factory, List<AutoCloseable> resources) {
        ConfigNode meta = root.node("meta");
        meta.optChoice("mode", "config");
        var m = new MappedSettings(root.file(), "source." + factory.name());
        // the old tool's targets (Milvus 2.3/2.4) have no nullable fields: every listed or mapped field needs a value
        m.put("nullableFields", false, meta.keyOf("fields"));
        List<String> indices = new ArrayList<>(meta.optStrings("index"));
        indices.addAll(meta.optStrings("indices"));
        if (indices.isEmpty()) {
            throw meta.error("index", "is missing: the index, alias or pattern to read");
        }
        m.put("indices", indices, meta.keyOf(meta.has("index") ? "index" : "indices"));
        m.put("version", meta.optString("version"), meta, "version");
        m.put("openSearch", meta.optBool("openSearch"), meta, "openSearch");
        m.put("merge", meta.optBool("merge"), meta, "merge");
        Optional<Integer> slices = meta.optInt("slices");
        if (slices.isPresent()) {
            m.put("slices", slices, meta, "slices");
        } else {
            m.put("slices", parallelism, "dumper.worker.limit");
        }
        m.put("pageSize", pageSize, "dumper.worker.reader.bufferSize");
        m.put("query", meta.optString("query"), meta, "query");
        m.put("sourceIncludes", meta.optStrings("sourceIncludes"), meta.keyOf("sourceIncludes"));
        m.put("sourceExcludes", meta.optStrings("sourceExcludes"), meta.keyOf("sourceExcludes"));
        m.put("dates", meta.optChoice("dates", "epoch", "varchar"), meta, "dates");
        m.put("badVectors", meta.optChoice("badVectors", "fail", "skip"), meta, "badVectors");
        m.put("readMode", meta.optChoice("readMode", "auto", "pit", "scroll"), meta, "readMode");
        m.put("truncateLongStrings", meta.optBool("truncateLongStrings"), meta, "truncateLongStrings");
        m.put("keepAliveSeconds", meta.optInt("keepAliveSeconds"), meta, "keepAliveSeconds");

        List<ConfigNode> fieldNodes = meta.optNodes("fields");
        if (!fieldNodes.isEmpty()) {
            var fields = new ArrayList<Map<String, Object>>();
            for (ConfigNode f : fieldNodes) {
                fields.add(field(f));
            }
            m.put("fields", fields, meta.keyOf("fields"));
        }

        Optional<String> collection = Optional.empty();
        Optional<Integer> shards = Optional.empty();
        Optional<Boolean> dynamic = Optional.empty();
        Optional<ConfigNode> milvus = meta.optNode("milvus");
        if (milvus.isPresent()) {
            ConfigNode mv = milvus.get();
            collection = mv.optString("collection");
            m.put("collection", collection, mv, "collection");
            Optional<Boolean> closed = mv.optBool("closeDynamicField");
            dynamic = closed.map(c -> !c);
            m.put("dynamicField", dynamic, mv, "closeDynamicField");
            shards = mv.optInt("shardNum");
            mv.optString("consistencyLevel").ifPresent(level -> consistency(mv, level));
        }

        ConfigNode es = sourceNode == null ? null : sourceNode.node("es");
        if (es == null) {
            MigrationYaml.checkGiven(factory, m);
            return new Result(null, collection, shards, dynamic);
        }
        m.put("urls", es.optStrings("urls"), es.keyOf("urls"));
        for (String key : new String[] {"cloudId", "username", "password", "apiKey", "serviceToken", "cert",
            "fingerprint"}) {
            m.put(key, es.optString(key), es, key);
            m.origin(key, es.keyOf(key));
        }
        m.put("verifyTls", es.optBool("verifyTls"), es, "verifyTls");
        m.origin("urls", es.keyOf("urls"));
        Source source = MigrationYaml.pluginSource(factory, m, open, resources);
        return new Result(source, collection, shards, dynamic);
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

    /**
     * One {@code meta.fields} entry as the plug-in's field settings, its keys read and type-checked here: the Go
     * tool's {@code name, type, pk, dims, maxLen} and this library's {@code metric, nullable}, for arrays
     * {@code elementType, maxCapacity}.
     */
    private static Map<String, Object> field(ConfigNode f) {
        var out = new LinkedHashMap<String, Object>();
        out.put("name", f.string("name"));
        String type = f.string("type");
        out.put("type", type);
        f.optInt("maxLen").ifPresent(n -> out.put("maxLen", n));
        f.optInt("dims").ifPresent(n -> out.put("dims", n));
        f.optBool("pk").ifPresent(b -> out.put("pk", b));
        f.optChoice("metric", "L2", "IP", "COSINE", "HAMMING", "JACCARD").ifPresent(v -> out.put("metric", v));
        if (type.trim().equalsIgnoreCase("array")) {
            f.optString("elementType").ifPresent(v -> out.put("elementType", v));
            f.optInt("maxCapacity").ifPresent(n -> out.put("maxCapacity", n));
        }
        f.optBool("nullable").ifPresent(b -> out.put("nullable", b));
        return out;
    }

}
