package io.milvus.migration.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one uuid range of a class (and tenant) in pages of {@code GET /v1/objects?after=<last uuid>}. One thread at
 * a time.
 */
final class WeaviateSplitReader implements SplitReader {
    private final WeaviateClient client;
    private final WeaviateSplit split;
    private final WeaviateSource.Plan plan;
    private final int pageSize;
    private String after;
    private long rowsRead;
    private boolean done;

    WeaviateSplitReader(WeaviateClient client, WeaviateSplit split, WeaviateSource.Plan plan, int pageSize,
                        String after, long rowsRead) {
        this.client = client;
        this.split = split;
        this.plan = plan;
        this.pageSize = pageSize;
        this.after = after;
        this.rowsRead = rowsRead;
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        if (done) {
            return Optional.empty();
        }
        int limit = Math.max(1, Math.min(maxRows, pageSize));
        JsonNode page = client.objectsAfter(split.className(), split.tenant().isEmpty() ? null : split.tenant(),
                after, limit);
        var objects = new ArrayList<JsonNode>(page.size());
        for (JsonNode o : page) {
            String id = o.path("id").asText().toLowerCase(Locale.ROOT);
            if (!split.contains(id)) {
                done = true;   // uuid order: the rest of the page and of the class lies after this range
                break;
            }
            objects.add(o);
        }
        if (page.size() < limit) {
            done = true;
        }
        if (objects.isEmpty()) {
            return Optional.empty();
        }
        int n = objects.size();
        var columns = new LinkedHashMap<String, Column>();
        var ids = new ArrayList<String>(n);
        objects.forEach(o -> ids.add(o.path("id").asText().toLowerCase(Locale.ROOT)));
        columns.put(WeaviateMapping.ID, new Column.Strings(ids));
        for (WeaviateMapping.Vector v : plan.vectors()) {
            int dim = plan.schema().field(v.field()).orElseThrow().dimension();
            float[] values = new float[n * dim];
            for (int i = 0; i < n; i++) {
                JsonNode o = objects.get(i);
                JsonNode vec = v.name() == null ? o.get("vector") : o.path("vectors").get(v.name());
                if (vec == null || !vec.isArray() || vec.size() != dim || vec.size() > 0 && vec.get(0).isArray()) {
                    throw bad(ids.get(i), "vector " + v.field() + " has " + (vec == null || !vec.isArray()
                            ? "no values" : vec.size() + " values") + ", the field's dimension is " + dim);
                }
                for (int j = 0; j < dim; j++) {
                    values[i * dim + j] = (float) vec.get(j).asDouble();
                }
            }
            columns.put(v.field(), new Column.FloatVectors(dim, values));
        }
        for (WeaviateMapping.Property p : plan.properties()) {
            var values = new ArrayList<Object>(n);
            for (int i = 0; i < n; i++) {
                JsonNode v = objects.get(i).path("properties").get(p.name());
                if (v == null || v.isNull()) {
                    if (!p.field().nullable()) {
                        throw bad(ids.get(i), "property " + p.name() + " has no value, and field " + p.name()
                                + " is not nullable (nullableFields false)");
                    }
                    values.add(null);
                } else {
                    values.add(value(ids.get(i), p, v));
                }
            }
            try {
                columns.put(p.name(), Column.of(p.field(), values));
            } catch (IllegalArgumentException e) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where() + ": " + e.getMessage(), e);
            }
        }
        after = ids.get(n - 1);
        rowsRead += n;
        return Optional.of(new Batch(new Position(split.id(), rowsRead, after), columns));
    }

    private Object value(String id, WeaviateMapping.Property p, JsonNode v) {
        if (p.kind() == WeaviateMapping.Kind.JSON) {
            return v.toString();
        }
        if (!p.array()) {
            return scalar(id, p, v);
        }
        if (!v.isArray()) {
            throw bad(id, "property " + p.name() + " is " + v.getNodeType() + ", not an array");
        }
        var list = new ArrayList<Object>(v.size());
        v.forEach(e -> list.add(scalar(id, p, e)));
        return list;
    }

    private Object scalar(String id, WeaviateMapping.Property p, JsonNode v) {
        return switch (p.kind()) {
            case INT -> {
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    yield v.longValue();
                }
                double d = v.asDouble();
                if (v.isNumber() && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                    yield (long) d;
                }
                throw bad(id, "property " + p.name() + " holds " + v + ", not an integer");
            }
            case NUMBER -> {
                if (!v.isNumber()) {
                    throw bad(id, "property " + p.name() + " holds " + v + ", not a number");
                }
                yield v.doubleValue();
            }
            case BOOL -> {
                if (!v.isBoolean()) {
                    throw bad(id, "property " + p.name() + " holds " + v + ", not a boolean");
                }
                yield v.booleanValue();
            }
            case DATE -> {
                if (p.field().type() == io.milvus.migration.spi.DataType.VARCHAR
                        || p.field().elementType() == io.milvus.migration.spi.DataType.VARCHAR) {
                    yield v.asText();
                }
                try {
                    yield OffsetDateTime.parse(v.asText()).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw bad(id, "property " + p.name() + " holds date " + v + ", not RFC 3339");
                }
            }
            default -> v.isTextual() ? v.asText() : v.toString();
        };
    }

    private String where() {
        return "Weaviate class " + split.className() + (split.tenant().isEmpty() ? "" : ", tenant " + split.tenant())
                + ", split " + split.id() + ", objects after " + (after.isEmpty() ? "the start" : after);
    }

    private MigrationException bad(String id, String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, "Weaviate class " + split.className()
                + (split.tenant().isEmpty() ? "" : ", tenant " + split.tenant()) + ", object " + id + ": " + what);
    }

    @Override
    public void close() {
        // nothing held: the client belongs to the source
    }
}
