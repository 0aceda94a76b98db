package io.milvus.migration.qdrant;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.VectorOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads one id range of a collection by scrolling from the next point id; the scroll's {@code next_page_offset} is
 * the position's cursor. One thread at a time.
 */
final class QdrantSplitReader implements SplitReader {
    /** The cursor of a split read to its end. */
    static final String END = "end";

    private final QdrantSource source;
    private final QdrantSplit split;
    private final QdrantMapping.Plan plan;
    private final int pageSize;
    private final boolean nullableFields;
    private final PointKey end;
    private PointKey next;
    private long rowsRead;
    private boolean done;

    QdrantSplitReader(QdrantSource source, QdrantSplit split, QdrantMapping.Plan plan, QdrantSource.Builder settings,
                      PointKey next, PointKey end, long rowsRead, boolean done) {
        this.source = source;
        this.split = split;
        this.plan = plan;
        this.pageSize = settings.pageSizeValue();
        this.nullableFields = settings.nullableFieldsValue();
        this.next = next;
        this.end = end;
        this.rowsRead = rowsRead;
        this.done = done;
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        if (done) {
            return Optional.empty();
        }
        PointKey from = next;
        ScrollResponse r = source.scroll(split.collection(), from, Math.min(maxRows, pageSize), true);
        var points = new ArrayList<RetrievedPoint>(r.getResultCount());
        var keys = new ArrayList<PointKey>(r.getResultCount());
        PointKey last = from;
        for (RetrievedPoint p : r.getResultList()) {
            PointKey k = PointKey.of(p.getId());
            if (last != null && (k.compareTo(last) < 0 || k.equals(last) && !keys.isEmpty())) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where(from) + ": point " + k
                        + " came after point " + last + "; Qdrant scrolls in ascending id order");
            }
            if (end != null && k.compareTo(end) >= 0) {
                done = true;
                break;
            }
            last = k;
            points.add(p);
            keys.add(k);
        }
        if (!done) {
            if (r.hasNextPageOffset() && !points.isEmpty()) {
                next = PointKey.of(r.getNextPageOffset());
                done = end != null && next.compareTo(end) >= 0;
            } else {
                done = true;
            }
        }
        if (points.isEmpty()) {
            return Optional.empty();
        }
        var columns = columns(points, keys, from);
        rowsRead += points.size();
        return Optional.of(new Batch(new Position(split.id(), rowsRead, done ? END : next.toString()), columns));
    }

    private Map<String, Column> columns(List<RetrievedPoint> points, List<PointKey> keys, PointKey from) {
        int n = points.size();
        CollectionSchema schema = plan.schema();
        var columns = new LinkedHashMap<String, Column>();
        if (plan.ids() == QdrantMapping.IdKind.NUMERIC) {
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                PointKey k = keys.get(i);
                if (!k.numeric() || k.num() < 0) {
                    throw bad(k, "has an id the INT64 key cannot hold (the collection changed since its schema was"
                            + " read?)");
                }
                ids[i] = k.num();
            }
            columns.put(QdrantMapping.ID, new Column.Longs(ids));
        } else {
            var ids = new ArrayList<String>(n);
            keys.forEach(k -> ids.add(k.keyText()));
            columns.put(QdrantMapping.ID, new Column.Strings(ids));
        }
        for (QdrantMapping.VectorField v : plan.vectors()) {
            columns.put(v.field(), v.sparse() ? sparse(v, points, keys) : dense(v, points, keys));
        }
        var carried = new java.util.HashSet<String>();
        for (QdrantMapping.PayloadField f : plan.payload()) {
            carried.add(f.key());
            var values = new ArrayList<Object>(n);
            for (int i = 0; i < n; i++) {
                values.add(payloadValue(f, points.get(i).getPayloadMap().get(f.key()), keys.get(i)));
            }
            try {
                columns.put(f.key(), Column.of(schema.field(f.key()).orElseThrow(), values));
            } catch (IllegalArgumentException e) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where(from) + ": " + e.getMessage(), e);
            }
        }
        var extras = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            var rest = new LinkedHashMap<String, Value>();
            points.get(i).getPayloadMap().forEach((k, val) -> {
                if (!carried.contains(k)) {
                    rest.put(k, val);
                }
            });
            try {
                extras.add(PayloadJson.object(rest));
            } catch (IllegalArgumentException e) {
                throw bad(keys.get(i), e.getMessage());
            }
        }
        columns.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(extras));
        return columns;
    }

    private Column dense(QdrantMapping.VectorField v, List<RetrievedPoint> points, List<PointKey> keys) {
        int dim = v.dim();
        float[] values = new float[points.size() * dim];
        for (int i = 0; i < points.size(); i++) {
            VectorOutput out = vector(points.get(i), v);
            List<Float> data = out == null ? null
                    : out.hasDense() ? out.getDense().getDataList()
                    : out.getVectorCase() == VectorOutput.VectorCase.VECTOR_NOT_SET && !out.hasIndices()
                    ? out.getDataList() : null;   // the deprecated flat form
            if (data == null || data.isEmpty()) {
                throw bad(keys.get(i), "has no " + vectorName(v) + "; a Milvus vector field needs one in every row");
            }
            if (data.size() != dim) {
                throw bad(keys.get(i), "has " + vectorName(v) + " of " + data.size() + " values; its size is " + dim);
            }
            for (int j = 0; j < dim; j++) {
                values[i * dim + j] = data.get(j);
            }
        }
        return v.type() == DataType.FLOAT16_VECTOR ? Column.HalfVectors.of(DataType.FLOAT16_VECTOR, dim, values)
                : new Column.FloatVectors(dim, values);
    }

    /** A point without this sparse vector gets an empty one: to a dot product the two are the same. */
    private Column sparse(QdrantMapping.VectorField v, List<RetrievedPoint> points, List<PointKey> keys) {
        var rows = new ArrayList<SortedMap<Long, Float>>(points.size());
        for (int i = 0; i < points.size(); i++) {
            VectorOutput out = vector(points.get(i), v);
            var row = new TreeMap<Long, Float>();
            if (out != null) {
                List<Integer> indices;
                List<Float> values;
                if (out.hasSparse()) {
                    indices = out.getSparse().getIndicesList();
                    values = out.getSparse().getValuesList();
                } else if (out.hasIndices()) {   // the deprecated form
                    indices = out.getIndices().getDataList();
                    values = out.getDataList();
                } else {
                    throw bad(keys.get(i), "has a dense vector under sparse " + vectorName(v));
                }
                if (indices.size() != values.size()) {
                    throw bad(keys.get(i), "has sparse " + vectorName(v) + " with " + indices.size() + " indices and "
                            + values.size() + " values");
                }
                for (int j = 0; j < indices.size(); j++) {
                    if (row.put(Integer.toUnsignedLong(indices.get(j)), values.get(j)) != null) {
                        throw bad(keys.get(i), "has sparse " + vectorName(v) + " with index "
                                + Integer.toUnsignedLong(indices.get(j)) + " twice");
                    }
                }
            }
            rows.add(row);
        }
        return Column.SparseVectors.of(rows);
    }

    private static VectorOutput vector(RetrievedPoint p, QdrantMapping.VectorField v) {
        var vs = p.getVectors();
        return switch (vs.getVectorsOptionsCase()) {
            case VECTOR -> v.name().isEmpty() ? vs.getVector() : null;
            case VECTORS -> vs.getVectors().getVectorsMap().get(v.name());
            default -> null;
        };
    }

    private static String vectorName(QdrantMapping.VectorField v) {
        return v.name().isEmpty() ? "vector" : "vector '" + v.name() + "'";
    }

    /** A payload value as Column.of takes it for the field's type; null for a missing or null value. */
    private Object payloadValue(QdrantMapping.PayloadField f, Value v, PointKey k) {
        if (v == null || v.getKindCase() == Value.KindCase.NULL_VALUE
                || v.getKindCase() == Value.KindCase.KIND_NOT_SET) {
            if (!nullableFields) {
                throw bad(k, "has no value for payload key '" + f.key() + "', and fields are not nullable"
                        + " (nullableFields false)");
            }
            return null;
        }
        Object out = switch (f.type()) {
            case VARCHAR -> v.hasStringValue() ? v.getStringValue() : null;
            case INT64 -> v.hasIntegerValue() ? (Object) v.getIntegerValue() : null;
            case DOUBLE -> v.hasDoubleValue() ? (Object) v.getDoubleValue()
                    : v.hasIntegerValue() ? (Object) (double) v.getIntegerValue() : null;
            case BOOL -> v.hasBoolValue() ? (Object) v.getBoolValue() : null;
            case JSON -> PayloadJson.text(v);
            default -> null;
        };
        if (out == null) {
            throw bad(k, "holds " + kind(v) + " under payload key '" + f.key() + "', whose " + f.index()
                    + " index makes it a " + f.type() + " field; read the payload as dynamic fields"
                    + " (payloadFields false) to carry it");
        }
        return out;
    }

    private static String kind(Value v) {
        return switch (v.getKindCase()) {
            case DOUBLE_VALUE -> "a float";
            case INTEGER_VALUE -> "an integer";
            case STRING_VALUE -> "a string";
            case BOOL_VALUE -> "a bool";
            case STRUCT_VALUE -> "an object";
            case LIST_VALUE -> "a list";
            default -> "null";
        };
    }

    private String where(PointKey from) {
        return source.describe() + " collection " + split.collection() + ", split " + split.id() + ", points from "
                + (from == null ? "the first" : from);
    }

    private MigrationException bad(PointKey k, String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, source.describe() + " collection "
                + split.collection() + ", split " + split.id() + ": point " + k + " " + what);
    }

    @Override
    public void close() {
        // nothing held: the client belongs to the source
    }
}
