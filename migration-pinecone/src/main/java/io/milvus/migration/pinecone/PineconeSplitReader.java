package io.milvus.migration.pinecone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import io.pinecone.proto.ListItem;
import io.pinecone.proto.ListResponse;
import io.pinecone.proto.Vector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads one namespace: lists a page of ids, fetches their records, and hands them out in list order. One thread at
 * a time.
 */
final class PineconeSplitReader implements SplitReader {
    private final PineconeClient client;
    private final PineconeSplit split;
    private final PineconeSource.Plan plan;
    private final int pageSize;
    private final String where;
    private long rowsRead;

    /** The page being read: the cursor it was asked with, its ids, the next page's token ("" after the last). */
    private PineconeCursor pageCursor;
    private List<String> page;
    private String nextToken;
    private int pos;
    private boolean end;

    PineconeSplitReader(PineconeClient client, PineconeSplit split, PineconeSource.Plan plan, PineconeCursor from,
                        long rowsRead, int pageSize, String where) {
        this.client = client;
        this.split = split;
        this.plan = plan;
        this.pageSize = pageSize;
        this.where = where + ", namespace '" + split.namespace() + "' (split " + split.id() + ")";
        this.rowsRead = rowsRead;
        this.pageCursor = from;
        this.end = from.end();
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        int want = Math.min(maxRows, PineconeClient.MAX_FETCH_IDS);
        var ids = new ArrayList<String>(Math.min(want, pageSize * 2));
        while (ids.size() < want && !end) {
            if (page == null) {
                load();
                continue;
            }
            if (pos == page.size()) {
                if (nextToken.isEmpty()) {
                    end = true;
                } else {
                    pageCursor = PineconeCursor.page(pageSize, 0, nextToken);
                    page = null;
                }
                continue;
            }
            int take = Math.min(want - ids.size(), page.size() - pos);
            ids.addAll(page.subList(pos, pos + take));
            pos += take;
        }
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Column> columns = rows(ids);
        rowsRead += ids.size();
        return Optional.of(new Batch(new Position(split.id(), rowsRead, after().text()), columns));
    }

    /** The cursor of the next unread id: inside this page, the next page's start, or the end. */
    private PineconeCursor after() {
        if (pos < page.size()) {
            return PineconeCursor.page(pageCursor.limit(), pos, pageCursor.token());
        }
        return nextToken.isEmpty() ? PineconeCursor.END : PineconeCursor.page(pageSize, 0, nextToken);
    }

    private void load() {
        ListResponse r = client.list(split.namespace(), pageCursor.limit(), pageCursor.token());
        page = r.getVectorsList().stream().map(ListItem::getId).toList();
        nextToken = r.hasPagination() ? r.getPagination().getNext() : "";
        pos = pageCursor.skip();
        if (pos > page.size()) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": the list page of cursor " + pageCursor
                    + " now has " + page.size() + " ids (records deleted since the position was stored?)");
        }
        if (page.isEmpty() && !nextToken.isEmpty()) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": an empty list page with a next token");
        }
    }

    private Map<String, Column> rows(List<String> ids) {
        Map<String, Vector> got = client.fetch(split.namespace(), ids).getVectorsMap();
        int n = ids.size();
        CollectionSchema schema = plan.schema();
        int dim = plan.dimension();
        float[] values = plan.dense() ? new float[n * dim] : null;
        var sparse = new ArrayList<SortedMap<Long, Float>>(plan.sparse() ? n : 0);
        var typed = new LinkedHashMap<String, List<Object>>();
        plan.typed().keySet().forEach(k -> typed.put(k, new ArrayList<>(n)));
        var meta = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            String id = ids.get(i);
            Vector v = got.get(id);
            if (v == null) {
                throw bad(id, "was listed but not fetched (deleted while migrating?)");
            }
            if (values != null) {
                if (v.getValuesCount() != dim) {
                    throw bad(id, "has " + v.getValuesCount() + " values; the index's dimension is " + dim);
                }
                for (int j = 0; j < dim; j++) {
                    values[i * dim + j] = v.getValues(j);
                }
            }
            boolean hasSparse = v.hasSparseValues() && v.getSparseValues().getIndicesCount() > 0;
            if (plan.sparse()) {
                sparse.add(sparse(id, v));
            } else if (hasSparse && plan.dense() && !plan.dropSparse()) {
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": record " + id
                        + " has sparse values, but the first records of the index had none, so the collection has "
                        + "no sparse field: set sparseValues INCLUDE (or DROP to leave them behind)");
            }
            Struct md = v.getMetadata();
            ObjectNode rest = JsonNodeFactory.instance.objectNode();
            for (var e : md.getFieldsMap().entrySet()) {
                if (!plan.typed().containsKey(e.getKey())) {
                    rest.set(e.getKey(), json(e.getValue()));
                }
            }
            for (var t : plan.typed().entrySet()) {
                typed.get(t.getKey()).add(typedValue(id, t.getKey(), t.getValue(), md.getFieldsMap().get(t.getKey())));
            }
            meta.add(rest.toString());
        }
        var columns = new LinkedHashMap<String, Column>();
        columns.put(PineconeSource.ID, new Column.Strings(ids));
        if (values != null) {
            columns.put(PineconeSource.VALUES, new Column.FloatVectors(dim, values));
        }
        if (plan.sparse()) {
            columns.put(PineconeSource.SPARSE_VALUES, Column.SparseVectors.of(sparse));
        }
        for (var t : typed.entrySet()) {
            columns.put(t.getKey(), Column.of(schema.field(t.getKey()).orElseThrow(), t.getValue()));
        }
        columns.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(meta));
        return columns;
    }

    private SortedMap<Long, Float> sparse(String id, Vector v) {
        var m = new TreeMap<Long, Float>();
        if (!v.hasSparseValues()) {
            return m;
        }
        var s = v.getSparseValues();
        if (s.getIndicesCount() != s.getValuesCount()) {
            throw bad(id, "has " + s.getIndicesCount() + " sparse indices but " + s.getValuesCount() + " values");
        }
        for (int i = 0; i < s.getIndicesCount(); i++) {
            // indices are unsigned 32-bit in Pinecone's protocol
            if (m.put(Integer.toUnsignedLong(s.getIndices(i)), s.getValues(i)) != null) {
                throw bad(id, "has sparse index " + Integer.toUnsignedLong(s.getIndices(i)) + " twice");
            }
        }
        return m;
    }

    private Object typedValue(String id, String key, PineconeSource.MetadataType type, Value v) {
        if (v == null || v.getKindCase() == Value.KindCase.NULL_VALUE || v.getKindCase() == Value.KindCase.KIND_NOT_SET) {
            if (!plan.schema().field(key).orElseThrow().nullable()) {
                throw bad(id, "has no metadata key '" + key + "', and its field is not nullable");
            }
            return null;
        }
        switch (type) {
            case STRING -> {
                if (v.getKindCase() == Value.KindCase.STRING_VALUE) {
                    return v.getStringValue();
                }
            }
            case NUMBER -> {
                if (v.getKindCase() == Value.KindCase.NUMBER_VALUE) {
                    return v.getNumberValue();
                }
            }
            case BOOLEAN -> {
                if (v.getKindCase() == Value.KindCase.BOOL_VALUE) {
                    return v.getBoolValue();
                }
            }
            case STRING_LIST -> {
                if (v.getKindCase() == Value.KindCase.LIST_VALUE) {
                    var out = new ArrayList<String>(v.getListValue().getValuesCount());
                    for (Value e : v.getListValue().getValuesList()) {
                        if (e.getKindCase() != Value.KindCase.STRING_VALUE) {
                            throw bad(id, "has metadata key '" + key + "' holding a list with a " + kind(e)
                                    + "; its field is a list of strings");
                        }
                        out.add(e.getStringValue());
                    }
                    return out;
                }
            }
        }
        throw bad(id, "has metadata key '" + key + "' holding a " + kind(v) + "; its field is " + type);
    }

    private static String kind(Value v) {
        return switch (v.getKindCase()) {
            case STRING_VALUE -> "string";
            case NUMBER_VALUE -> "number";
            case BOOL_VALUE -> "boolean";
            case LIST_VALUE -> "list";
            case STRUCT_VALUE -> "object";
            default -> "null";
        };
    }

    /**
     * A metadata value as JSON. Pinecone keeps numbers as 64-bit floats; one that is a whole number (within the
     * range where doubles are exact) is written as an integer, as it was most likely given.
     */
    static JsonNode json(Value v) {
        var f = JsonNodeFactory.instance;
        return switch (v.getKindCase()) {
            case STRING_VALUE -> f.textNode(v.getStringValue());
            case BOOL_VALUE -> f.booleanNode(v.getBoolValue());
            case NUMBER_VALUE -> {
                double d = v.getNumberValue();
                yield d == Math.rint(d) && Math.abs(d) <= 9.007199254740992E15 ? f.numberNode((long) d)
                        : f.numberNode(d);
            }
            case LIST_VALUE -> {
                ArrayNode a = f.arrayNode();
                v.getListValue().getValuesList().forEach(e -> a.add(json(e)));
                yield a;
            }
            case STRUCT_VALUE -> {
                ObjectNode o = f.objectNode();
                v.getStructValue().getFieldsMap().forEach((k, e) -> o.set(k, json(e)));
                yield o;
            }
            default -> f.nullNode();
        };
    }

    private MigrationException bad(String id, String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": record " + id + " " + what);
    }

    @Override
    public void close() {
        // nothing held: the connection belongs to the source
    }
}
