package io.milvus.migration.es;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.ConfigurableSourceFactory;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code elasticsearch://host:port/index[,index...][?tls=true&slices=4&merge=true]} and
 * {@code opensearch://...}: an Elasticsearch or OpenSearch source without credentials (use {@link EsSource#builder()}
 * or the YAML for those). From YAML, an {@link EsSettings} ({@code source.elasticsearch}; errors name its keys as
 * {@code source.elasticsearch.<key>}).
 */
public final class EsSourceFactory implements ConfigurableSourceFactory<EsSettings> {
    private static final String AT = "source.elasticsearch.";

    /** Called by {@link java.util.ServiceLoader}. */
    public EsSourceFactory() {
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public boolean supports(URI uri) {
        String s = uri.getScheme();
        return s != null && (s.equals("elasticsearch") || s.equals("opensearch") || s.equals("es"));
    }

    @Override
    public Source create(URI uri) {
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "an Elasticsearch URI is "
                    + "elasticsearch://host:port/index: " + uri.getScheme() + "://" + uri.getHost() + uri.getPath());
        }
        boolean tls = false;
        var b = EsSource.builder();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                String v = p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "";
                switch (p[0]) {
                    case "tls" -> tls = Boolean.parseBoolean(v);
                    case "slices" -> b.slices(Integer.parseInt(v));
                    case "merge" -> b.merge(Boolean.parseBoolean(v));
                    case "pageSize" -> b.pageSize(Integer.parseInt(v));
                    default -> throw new MigrationException(ErrorCode.INVALID_CONFIG, "unknown Elasticsearch URI "
                            + "parameter " + p[0] + " (tls, slices, merge, pageSize)");
                }
            }
        }
        String url = (tls ? "https://" : "http://") + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 9200);
        for (String index : uri.getPath().substring(1).split(",")) {
            b.index(index);
        }
        return b.connection(EsConnection.builder().url(url).build()).build();
    }

    @Override
    public Class<EsSettings> settingsType() {
        return EsSettings.class;
    }

    /** Checks the settings and the connection's; connects to nothing. */
    @Override
    public void validate(EsSettings s) {
        builder(s).build();
    }

    /** Connects to nothing yet: the indices are read when the migration starts. */
    @Override
    public Source create(EsSettings s) {
        return builder(s).build();
    }

    private static EsSource.Builder builder(EsSettings s) {
        var b = EsSource.builder();
        if (s.nullableFields != null) {
            b.nullableFields(s.nullableFields);
        }
        if (s.indices == null || s.indices.isEmpty()) {
            throw bad("indices", "is missing: the index, alias or pattern to read");
        }
        guard("indices", () -> b.indices(s.indices));
        if (s.version != null && s.version.matches("\\d+\\.\\d+.*")) {
            guard("version", () -> b.version(s.version, s.openSearch));
        }
        if (s.merge != null) {
            b.merge(s.merge);
        }
        if (s.slices != null) {
            guard("slices", () -> b.slices(s.slices));
        }
        if (s.pageSize != null) {
            guard("pageSize", () -> b.pageSize(s.pageSize));
        }
        if (s.query != null) {
            guard("query", () -> b.query(s.query));
        }
        b.sourceIncludes(s.sourceIncludes == null ? List.of() : s.sourceIncludes);
        b.sourceExcludes(s.sourceExcludes == null ? List.of() : s.sourceExcludes);
        if (s.dates != null) {
            b.dates(EsSource.DateMode.valueOf(choice("dates", s.dates, "epoch", "varchar")));
        }
        if (s.badVectors != null) {
            b.badVectors(EsSource.BadVectors.valueOf(choice("badVectors", s.badVectors, "fail", "skip")));
        }
        if (s.readMode != null) {
            b.readMode(EsSource.ReadMode.valueOf(choice("readMode", s.readMode, "auto", "pit", "scroll")));
        }
        if (s.truncateLongStrings != null) {
            b.truncateLongStrings(s.truncateLongStrings);
        }
        if (s.keepAliveSeconds != null) {
            guard("keepAliveSeconds", () -> b.keepAlive(Duration.ofSeconds(s.keepAliveSeconds)));
        }
        if (s.fields != null && !s.fields.isEmpty()) {
            var fields = new ArrayList<FieldSchema>();
            for (int i = 0; i < s.fields.size(); i++) {
                EsSettings.Field f = s.fields.get(i);
                FieldSchema schema = field(f, "fields[" + i + "].");
                if (Boolean.TRUE.equals(f.pk)) {
                    b.primaryKey(schema.name());
                }
                if (f.metric != null) {
                    b.field(schema);   // a metric of its own, not the mapping's
                }
                fields.add(schema);
            }
            b.fields(fields);
        }
        if (s.collection != null) {
            s.indices.forEach(i -> b.collectionName(i, s.collection));
        }
        if (s.dynamicField != null) {
            b.dynamicField(s.dynamicField);
        }
        var c = EsConnection.builder();
        List<String> urls = s.urls == null ? List.of() : s.urls;
        urls.forEach(c::url);
        if (s.cloudId != null) {
            c.cloudId(s.cloudId);
        }
        if (s.username != null) {
            c.basicAuth(s.username, s.password == null ? "" : s.password);
        } else if (s.password != null) {
            throw bad("password", "needs a username");
        }
        if (s.apiKey != null) {
            c.apiKey(s.apiKey);
        }
        if (s.serviceToken != null) {
            // the Go tool's examples write "Bearer xxx"; the token itself is sent as a bearer token
            c.serviceToken(s.serviceToken.replaceFirst("^Bearer\\s+", ""));
        }
        if (s.cert != null) {
            c.caCertificate(Path.of(s.cert));
        }
        if (s.fingerprint != null) {
            c.fingerprint(s.fingerprint);
        }
        if (s.verifyTls != null) {
            c.verifyTls(s.verifyTls);
        }
        guard(urls.isEmpty() ? "cloudId" : "urls", () -> b.connection(c.build()));
        return b;
    }

    /** One {@code fields} entry: the old tool's Elasticsearch type names, or Milvus type names. */
    private static FieldSchema field(EsSettings.Field f, String at) {
        if (f == null || f.name == null) {
            throw bad(at + "name", "is missing");
        }
        if (f.type == null) {
            throw bad(at + "type", "is missing");
        }
        String name = f.name;
        String type = f.type.trim();
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
            default -> throw bad(at + "type", "'" + type + "' is not a type this source maps (keyword, text, long, "
                    + "integer, short, byte, double, float, boolean, date, dense_vector, knn_vector, sparse_vector, "
                    + "object, nested, json, array)");
        };
        var b = FieldSchema.builder(name, t);
        boolean pk = Boolean.TRUE.equals(f.pk);
        if (t == DataType.VARCHAR || t == DataType.ARRAY) {
            if (f.maxLen != null) {
                b.maxLength(f.maxLen);
            } else if (t == DataType.VARCHAR) {
                b.maxLength(FieldSchema.MAX_VARCHAR_LENGTH);
            }
        } else if (f.maxLen != null) {
            throw bad(at + "maxLen", "is for keyword and text fields");
        }
        if (t.isVector() && t != DataType.SPARSE_FLOAT_VECTOR) {
            if (f.dims == null) {
                throw bad(at + "dims", "is missing for vector field " + name);
            }
            b.dimension(f.dims);
        } else if (f.dims != null) {
            throw bad(at + "dims", "is for vector fields");
        }
        if (f.metric != null) {
            b.metric(MetricType.valueOf(choice(at + "metric", f.metric, "L2", "IP", "COSINE", "HAMMING",
                    "JACCARD").toUpperCase(Locale.ROOT)));
        }
        if (t == DataType.ARRAY) {
            if (f.elementType == null) {
                throw bad(at + "elementType", "is missing");
            }
            String element = f.elementType.toUpperCase(Locale.ROOT);
            try {
                b.elementType(DataType.valueOf(element));
            } catch (IllegalArgumentException e) {
                throw bad(at + "elementType", "'" + element + "' is not a Milvus scalar type");
            }
            if (f.maxCapacity == null) {
                throw bad(at + "maxCapacity", "is missing for an array");
            }
            b.maxCapacity(f.maxCapacity);
        }
        if (!pk && !t.isVector()) {
            b.nullable(f.nullable == null || f.nullable);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(at + "type", e.getMessage());
        }
    }

    /** One of {@code allowed} (case-insensitive), upper-cased for an enum. */
    private static String choice(String key, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.trim())) {
                return a.toUpperCase(Locale.ROOT);
            }
        }
        throw bad(key, "must be one of " + List.of(allowed) + ", found '" + value + "'");
    }

    private static void guard(String key, Runnable r) {
        try {
            r.run();
        } catch (MigrationException e) {
            throw e.reason().startsWith(AT) ? e : bad(key, e.reason());
        }
    }

    private static MigrationException bad(String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, AT + key + " " + problem);
    }
}
