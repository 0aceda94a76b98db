package io.milvus.migration.qdrant;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;

import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.Datatype;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Collections of every kind in a {@link QdrantSpecStub}, and the values their points hold (also used by migration-cli's tests). */
public final class StubFixtures {
    /** Numeric ids, the unnamed vector, every payload index type and every payload value kind. */
    static final String PLAIN = "plain";
    /** UUID ids, two named vectors (one float16) and a sparse vector. */
    static final String NAMED = "named";
    /** Numbers and UUIDs. */
    static final String MIXED = "mixed";

    private StubFixtures() {
    }

    static VectorOutput dense(float... v) {
        var d = DenseVector.newBuilder();
        for (float f : v) {
            d.addData(f);
        }
        return VectorOutput.newBuilder().setDense(d).build();
    }

    static VectorOutput sparse(int[] indices, float[] values) {
        var s = SparseVector.newBuilder();
        for (int i = 0; i < indices.length; i++) {
            s.addIndices(indices[i]).addValues(values[i]);
        }
        return VectorOutput.newBuilder().setSparse(s).build();
    }

    static PayloadSchemaInfo index(PayloadSchemaType t) {
        return PayloadSchemaInfo.newBuilder().setDataType(t).setPoints(0).build();
    }

    static CollectionParams unnamed(int dim, Distance d) {
        return CollectionParams.newBuilder().setShardNumber(1).setVectorsConfig(VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(dim).setDistance(d))).build();
    }

    /** The id of point {@code i} of {@link #PLAIN}: every third number. */
    public static long plainId(int i) {
        return 3L * i + 1;
    }

    static float[] plainVector(int i) {
        return new float[]{i, i / 4f, -i * 1.5f, 0.125f};
    }

    /** Indexed keys first (every one typed as its index says), then keys only the dynamic field holds. */
    static Map<String, Value> plainPayload(int i, boolean everyIndexedKey) {
        var m = new LinkedHashMap<String, Value>();
        m.put("title", value("title " + i + " \"quoted\" \\ é 漢"));
        m.put("body", value("line one\nline two " + i));
        m.put("uid", value(new UUID(7, i).toString()));
        m.put("n", value(i * 10_000_000_000L - 5));
        if (everyIndexedKey || i % 4 != 0) {
            m.put("price", i % 2 == 0 ? value(i + 0.25) : value((long) i));   // integers under a float index too
        }
        m.put("ok", value(i % 3 == 0));
        m.put("at", value("2024-01-" + String.format("%02d", i % 28 + 1) + "T10:00:00Z"));
        m.put("loc", value(Map.of("lon", value(13.4 + i / 100.0), "lat", value(52.5))));
        m.put("meta", value(Map.of("author", value("a" + i), "tags", list(List.of(value("x"), value(i))))));
        m.put("extra_null", nullValue());
        m.put("extra_list", list(List.of(value(1), value("a"), value(true), nullValue(), value(2.5))));
        m.put("extra_big", value(Long.MAX_VALUE - i));
        m.put("extra_tiny", value(-1.5e-300));
        m.put("extra_text", value("tab\there, ctrl \u0001 end"));
        return m;
    }

    /** {@link #PLAIN} with {@code rows} points, HNSW m 12, ef 80. */
    public static void plain(QdrantSpecStub stub, String name, int rows, boolean everyIndexedKey) {
        var schema = new LinkedHashMap<String, PayloadSchemaInfo>();
        schema.put("title", index(PayloadSchemaType.Keyword));
        schema.put("body", index(PayloadSchemaType.Text));
        schema.put("uid", index(PayloadSchemaType.Uuid));
        schema.put("n", index(PayloadSchemaType.Integer));
        schema.put("price", index(PayloadSchemaType.Float));
        schema.put("ok", index(PayloadSchemaType.Bool));
        schema.put("at", index(PayloadSchemaType.Datetime));
        schema.put("loc", index(PayloadSchemaType.Geo));
        schema.put("meta.author", index(PayloadSchemaType.Keyword));   // a nested path: stays in the dynamic field
        stub.collection(name, unnamed(4, Distance.Cosine), CollectionInfo.newBuilder().putAllPayloadSchema(schema)
                .setConfig(CollectionConfig.newBuilder().setHnswConfig(HnswConfigDiff.newBuilder().setM(12)
                        .setEfConstruct(80))));
        for (int i = 0; i < rows; i++) {
            stub.upsert(name, PointKey.num(plainId(i)), plainPayload(i, everyIndexedKey),
                    Map.of("", dense(plainVector(i))));
        }
    }

    static String namedId(int i) {
        return new UUID(0x1234_5678_9abc_def0L + i * 0x1_0000_0000L, -i).toString();
    }

    /** Float16-exact values. */
    static float[] imageVector(int i) {
        return new float[]{i % 8 * 0.5f, -0.25f};
    }

    static int[] sparseIndices(int i) {
        return new int[]{i * 7 % 11, 100 + i, -1};   // -1 is index 2^32 - 1 as Qdrant's uint32
    }

    static float[] sparseValues(int i) {
        return new float[]{0.5f * i, 1.25f, -3f};
    }

    /** {@link #NAMED}: every fifth point lacks the sparse vector. */
    static void named(QdrantSpecStub stub, int rows) {
        var params = CollectionParams.newBuilder().setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(
                VectorParamsMap.newBuilder()
                        .putMap("text", VectorParams.newBuilder().setSize(3).setDistance(Distance.Dot)
                                .setHnswConfig(HnswConfigDiff.newBuilder().setM(24)).build())
                        .putMap("image", VectorParams.newBuilder().setSize(2).setDistance(Distance.Euclid)
                                .setDatatype(Datatype.Float16).build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder().putMap("keywords",
                        SparseVectorParams.getDefaultInstance())).build();
        stub.collection(NAMED, params, CollectionInfo.newBuilder()
                .putPayloadSchema("kind", index(PayloadSchemaType.Keyword)));
        for (int i = 0; i < rows; i++) {
            var vectors = new LinkedHashMap<String, VectorOutput>();
            vectors.put("text", dense(i, -i, 0.5f));
            vectors.put("image", dense(imageVector(i)));
            if (i % 5 != 0) {
                vectors.put("keywords", sparse(sparseIndices(i), sparseValues(i)));
            }
            stub.upsert(NAMED, PointKey.uuid(namedId(i)), Map.of("kind", value("k" + i % 3), "free", value(i)),
                    vectors);
        }
    }

    /** {@link #MIXED}: numbers 0..rows/2 and as many UUIDs. */
    static void mixed(QdrantSpecStub stub, int rows) {
        stub.collection(MIXED, unnamed(2, Distance.Euclid), CollectionInfo.newBuilder());
        for (int i = 0; i < rows; i++) {
            PointKey k = i % 2 == 0 ? PointKey.num(i) : PointKey.uuid(new UUID(i, i).toString());
            stub.upsert(MIXED, k, Map.of(), Map.of("", dense(i, 1)));
        }
    }
}
