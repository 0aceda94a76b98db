package io.milvus.migration.chroma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** Reads one offset range of a collection with {@code get(offset, limit)}. One thread at a time. */
final class ChromaSplitReader implements SplitReader {
    private final ChromaClient client;
    private final String tenant;
    private final String database;
    private final ChromaSplit split;
    private final ChromaSource.Plan plan;
    private long next;

    ChromaSplitReader(ChromaClient client, String tenant, String database, ChromaSplit split, ChromaSource.Plan plan,
                      long next) {
        this.client = client;
        this.tenant = tenant;
        this.database = database;
        this.split = split;
        this.plan = plan;
        this.next = next;
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        long end = split.offset() + split.rows();
        if (next >= end) {
            return Optional.empty();
        }
        int limit = (int) Math.min(maxRows, end - next);
        var include = new ArrayList<>(List.of("embeddings", "metadatas"));
        if (plan.document()) {
            include.add("documents");
        }
        var r = client.get(tenant, database, split.collectionId(), next, limit, include);
        int n = r.ids().size();
        if (n != limit) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Chroma collection " + split.collection()
                    + ", split " + split.id() + ": records " + next + ".." + (next + limit) + " gave " + n
                    + " rows (changed while migrating?)");
        }
        CollectionSchema schema = plan.schema();
        int dim = schema.field(ChromaSource.EMBEDDING).orElseThrow().dimension();
        float[] vectors = new float[n * dim];
        var docs = new ArrayList<String>(n);
        var scalars = new LinkedHashMap<String, List<Object>>();
        plan.scalars().keySet().forEach(k -> scalars.put(k, new ArrayList<>(n)));
        var dynamic = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            String id = r.ids().get(i);
            JsonNode e = r.embeddings() == null ? null : r.embeddings().get(i);
            if (e == null || !e.isArray() || e.size() != dim) {
                throw bad(id, next + i, "embedding has " + (e == null || !e.isArray() ? "no values" : e.size()
                        + " values") + ", the collection's dimension is " + dim);
            }
            for (int j = 0; j < dim; j++) {
                vectors[i * dim + j] = (float) e.get(j).asDouble();
            }
            if (plan.document()) {
                JsonNode d = r.documents().get(i);
                docs.add(d == null || d.isNull() ? null : d.asText());
            }
            JsonNode md = r.metadatas() == null ? null : r.metadatas().get(i);
            ObjectNode rest = ChromaClient.JSON.createObjectNode();
            if (md != null && md.isObject()) {
                md.fields().forEachRemaining(f -> {
                    if (!plan.scalars().containsKey(f.getKey())) {
                        rest.set(f.getKey(), f.getValue());
                    }
                });
            }
            for (var s : plan.scalars().entrySet()) {
                JsonNode v = md == null ? null : md.get(s.getKey());
                scalars.get(s.getKey()).add(value(v, s.getValue()));
            }
            if (schema.dynamicField()) {
                dynamic.add(rest.toString());
            }
        }
        var columns = new LinkedHashMap<String, Column>();
        columns.put(ChromaSource.ID, new Column.Strings(r.ids()));
        columns.put(ChromaSource.EMBEDDING, new Column.FloatVectors(dim, vectors));
        try {
            if (plan.document()) {
                columns.put(ChromaSource.DOCUMENT, Column.of(schema.field(ChromaSource.DOCUMENT).orElseThrow(), docs));
            }
            for (var s : scalars.entrySet()) {
                FieldSchema f = schema.field(s.getKey()).orElseThrow();
                columns.put(s.getKey(), Column.of(f, s.getValue()));
            }
        } catch (IllegalArgumentException ex) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Chroma collection " + split.collection()
                    + ", split " + split.id() + ", records from " + next + ": " + ex.getMessage(), ex);
        }
        if (schema.dynamicField()) {
            columns.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(dynamic));
        }
        next += n;
        return Optional.of(new Batch(new Position(split.id(), next - split.offset(), Long.toString(next)), columns));
    }

    /** A metadata value as Column.of takes it for a field of this type. */
    private static Object value(JsonNode v, DataType type) {
        if (v == null || v.isNull()) {
            return null;
        }
        return switch (type) {
            case BOOL -> v.isBoolean() ? v.booleanValue() : v.asText();
            case INT8, INT16, INT32, INT64, FLOAT, DOUBLE -> v.isNumber() ? v.numberValue() : v.asText();
            case JSON -> v.toString();
            default -> v.isTextual() ? v.asText() : v.toString();
        };
    }

    private MigrationException bad(String id, long offset, String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, "Chroma collection " + split.collection() + ", split "
                + split.id() + ", record " + offset + " (id " + id + "): " + what);
    }

    @Override
    public void close() {
        // nothing held: the client belongs to the source
    }
}
