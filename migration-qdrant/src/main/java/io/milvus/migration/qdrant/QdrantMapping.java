package io.milvus.migration.qdrant;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Datatype;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a Qdrant collection becomes a Milvus schema; no I/O. Point id → {@code id} (INT64, or VARCHAR for UUIDs, a mix
 * of both or numbers beyond INT64); the unnamed vector → {@code vector}, named vectors → fields of their names,
 * sparse vectors → SPARSE_FLOAT_VECTOR fields; indexed payload keys → scalar fields by their index type; the rest of
 * the payload → the dynamic field.
 */
final class QdrantMapping {
    /** The primary key field. */
    static final String ID = "id";
    /** The field of a collection's single unnamed vector. */
    static final String VECTOR = "vector";

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final int DEFAULT_M = 16;
    private static final int DEFAULT_EF_CONSTRUCT = 100;
    /** A canonical UUID's length; the longest unsigned 64-bit decimal is 20. */
    private static final int KEY_LENGTH = 36;

    private QdrantMapping() {
    }

    /** What the point ids of a collection are, found by two one-point scrolls. */
    enum IdKind {
        /** Numbers below 2^63 only (or no points): an INT64 key. */
        NUMERIC,
        /** UUIDs, or numbers and UUIDs, or numbers from 2^63 on: a VARCHAR key holding the decimal or UUID text. */
        TEXT
    }

    /**
     * One vector of the collection.
     *
     * @param name   its Qdrant name, "" for a collection's single unnamed vector
     * @param field  the Milvus field
     * @param type   FLOAT_VECTOR, FLOAT16_VECTOR or SPARSE_FLOAT_VECTOR
     * @param dim    the dimension (0 for sparse)
     */
    record VectorField(String name, String field, DataType type, int dim) {
        boolean sparse() {
            return type == DataType.SPARSE_FLOAT_VECTOR;
        }
    }

    /**
     * One indexed payload key that became a field.
     *
     * @param key   the payload key and field name
     * @param index Qdrant's index type of the key
     * @param type  the Milvus type
     */
    record PayloadField(String key, PayloadSchemaType index, DataType type) {
    }

    /** A collection's mapping. */
    record Plan(String collection, CollectionSchema schema, IdKind ids, List<VectorField> vectors,
                List<PayloadField> payload, List<IndexSpec> indexes) {
    }

    static Plan plan(String where, String collection, CollectionInfo info, IdKind ids, boolean payloadFields,
                     boolean nullableFields) {
        var params = info.getConfig().getParams();
        HnswConfigDiff hnsw = info.getConfig().getHnswConfig();
        var vectors = new ArrayList<VectorField>();
        var indexes = new ArrayList<IndexSpec>();
        var fields = new ArrayList<FieldSchema>();
        fields.add(ids == IdKind.NUMERIC ? FieldSchema.builder(ID, DataType.INT64).primaryKey(true).build()
                : FieldSchema.builder(ID, DataType.VARCHAR).primaryKey(true).maxLength(KEY_LENGTH).build());
        var vc = params.getVectorsConfig();
        switch (vc.getConfigCase()) {
            case PARAMS -> dense(where, "", VECTOR, vc.getParams(), hnsw, vectors, fields, indexes);
            case PARAMS_MAP -> new TreeMap<>(vc.getParamsMap().getMapMap()).forEach((name, p) ->
                    dense(where, name, fieldName(where, name, "vector"), p, hnsw, vectors, fields, indexes));
            default -> {
                // a collection of sparse vectors only
            }
        }
        new TreeMap<>(params.getSparseVectorsConfig().getMapMap()).forEach((name, p) -> {
            String field = fieldName(where, name, "sparse vector");
            vectors.add(new VectorField(name, field, DataType.SPARSE_FLOAT_VECTOR, 0));
            fields.add(FieldSchema.builder(field, DataType.SPARSE_FLOAT_VECTOR).metric(MetricType.IP).build());
            // Qdrant scores sparse vectors by dot product (an IDF modifier only reweighs queries)
            indexes.add(IndexSpec.builder("SPARSE_INVERTED_INDEX").field(field).metric(MetricType.IP).build());
        });
        if (vectors.isEmpty()) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + " has no vectors; nothing to migrate");
        }
        var payload = new ArrayList<PayloadField>();
        if (payloadFields) {
            var taken = new java.util.HashSet<String>();
            fields.forEach(f -> taken.add(f.name()));
            for (var e : new TreeMap<>(info.getPayloadSchemaMap()).entrySet()) {
                String key = e.getKey();
                DataType type = switch (e.getValue().getDataType()) {
                    case Keyword, Text, Uuid, Datetime -> DataType.VARCHAR;
                    case Integer -> DataType.INT64;
                    case Float -> DataType.DOUBLE;
                    case Bool -> DataType.BOOL;
                    case Geo -> DataType.JSON;
                    default -> null;
                };
                // nested paths (a.b, tags[]) are not top-level keys: their values stay in the dynamic field
                if (type == null || !FIELD_NAME.matcher(key).matches() || taken.contains(key)) {
                    continue;
                }
                // any point may lack an indexed key
                fields.add(FieldSchema.builder(key, type).nullable(nullableFields).build());
                payload.add(new PayloadField(key, e.getValue().getDataType(), type));
            }
        }
        CollectionSchema schema;
        try {
            schema = CollectionSchema.builder(collection).fields(fields).dynamicField(true).build();
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": " + e.getMessage());
        }
        return new Plan(collection, schema, ids, List.copyOf(vectors), List.copyOf(payload), List.copyOf(indexes));
    }

    private static void dense(String where, String name, String field, VectorParams p, HnswConfigDiff collectionHnsw,
                              List<VectorField> vectors, List<FieldSchema> fields, List<IndexSpec> indexes) {
        String what = where + (name.isEmpty() ? ": its vector" : ": vector '" + name + "'");
        if (p.hasMultivectorConfig()) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, what
                    + " is a multivector, which Milvus has no field for");
        }
        MetricType metric = metric(what, p.getDistance());
        if (p.getSize() < 1 || p.getSize() > Integer.MAX_VALUE) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, what + " has size " + p.getSize());
        }
        int dim = (int) p.getSize();
        // float16 vectors keep their width; uint8 ones come back as floats 0..255 and stay float vectors
        DataType type = p.hasDatatype() && p.getDatatype() == Datatype.Float16 ? DataType.FLOAT16_VECTOR
                : DataType.FLOAT_VECTOR;
        vectors.add(new VectorField(name, field, type, dim));
        fields.add(FieldSchema.builder(field, type).dimension(dim).metric(metric).build());
        // a vector's HNSW settings are a diff over the collection's
        HnswConfigDiff h = p.getHnswConfig();
        long m = h.hasM() ? h.getM() : collectionHnsw.hasM() ? collectionHnsw.getM() : DEFAULT_M;
        long ef = h.hasEfConstruct() ? h.getEfConstruct()
                : collectionHnsw.hasEfConstruct() ? collectionHnsw.getEfConstruct() : DEFAULT_EF_CONSTRUCT;
        if (m < 2) {
            // m = 0 switches Qdrant's graph off (payload-only graphs); Milvus's HNSW needs M >= 2
            m = DEFAULT_M;
        }
        indexes.add(IndexSpec.builder("HNSW").field(field).metric(metric).param("M", m).param("efConstruction", ef)
                .build());
    }

    /** Qdrant's distance as a Milvus metric; Manhattan (L1) has none. */
    static MetricType metric(String what, Distance d) {
        return switch (d) {
            case Cosine -> MetricType.COSINE;
            case Dot -> MetricType.IP;
            case Euclid -> MetricType.L2;
            case Manhattan -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, what
                    + " uses the Manhattan distance, which Milvus has no metric for (it has L2, IP and COSINE)");
            default -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, what + " has distance " + d);
        };
    }

    private static String fieldName(String where, String name, String what) {
        if (!FIELD_NAME.matcher(name).matches()) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": " + what + " '" + name
                    + "' cannot be a Milvus field name (letters, digits and _, not starting with a digit)");
        }
        return name;
    }
}
