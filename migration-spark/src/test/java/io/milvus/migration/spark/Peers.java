package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.QueryResultsWrapper;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real peers of these tests: S3Proxy ({@code scripts/s3-server.sh}) as the staging store and the Milvus that
 * keeps its data in it ({@code MILVUS_STORAGE=s3 scripts/milvus-server.sh}), from the env scripts/test.sh exports.
 * The executors' S3 credentials come from their environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: set by the
 * pom from S3_ACCESS_KEY, S3_SECRET_KEY), never from the shipped objects.
 */
final class Peers {
    private Peers() {
    }

    static String env(String name) {
        String v = System.getenv(name);
        assertThat(v).as(name + " (start the peers as scripts/test.sh does)").isNotBlank();
        return v;
    }

    /** The staging URI: Milvus's own bucket, so that it imports the files by key. */
    static URI staging() {
        env("AWS_ACCESS_KEY_ID");
        return URI.create("s3://" + env("MILVUS_S3_BUCKET") + "?endpoint=" + env("S3_ENDPOINT")
                + "&pathStyle=true&region=us-east-1&cloud=minio");
    }

    static URI target() {
        URI milvus = URI.create(env("MILVUS_S3_URI"));
        return URI.create("milvus://" + milvus.getHost() + ":" + milvus.getPort() + "/default");
    }

    static MilvusServiceClient client() {
        return new MilvusServiceClient(ConnectParam.newBuilder().withUri(env("MILVUS_S3_URI")).build());
    }

    static void drop(MilvusServiceClient client, String collection) {
        client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
    }

    static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** Rows matching {@code expr}. */
    static long count(MilvusServiceClient client, String collection, String expr) {
        R<io.milvus.grpc.QueryResults> r = client.query(QueryParam.newBuilder().withCollectionName(collection)
                .withExpr(expr).withOutFields(List.of("count(*)"))
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new AssertionError("count of " + collection + " failed: " + r.getMessage());
        }
        return (Long) new QueryResultsWrapper(r.getData()).getFieldWrapper("count(*)").getFieldData().get(0);
    }

    /** Every row of a collection: id to vector (float vectors as float[], binary ones as byte[]); fails on a
     * duplicate id. */
    @SuppressWarnings("unchecked")
    static Map<Long, Object> rows(MilvusServiceClient client, String collection, String idField,
                                  String vectorField) {
        var out = new HashMap<Long, Object>();
        long last = Long.MIN_VALUE + 1; // the query language cannot spell MIN_VALUE
        while (true) {
            R<io.milvus.grpc.QueryResults> r = client.query(QueryParam.newBuilder().withCollectionName(collection)
                    .withExpr(idField + (out.isEmpty() ? " >= " : " > ") + last).withOutFields(List.of(idField, vectorField))
                    .withLimit(16000L).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
            if (r.getStatus() != R.Status.Success.getCode()) {
                throw new AssertionError("query of " + collection + " failed: " + r.getMessage());
            }
            var w = new QueryResultsWrapper(r.getData());
            List<Long> ids = (List<Long>) w.getFieldWrapper(idField).getFieldData();
            List<?> vectors = w.getFieldWrapper(vectorField).getFieldData();
            if (ids.isEmpty()) {
                return out;
            }
            for (int i = 0; i < ids.size(); i++) {
                Object v = vectors.get(i);
                Object value;
                if (v instanceof ByteBuffer b) {
                    ByteBuffer d = b.duplicate();
                    d.clear();
                    byte[] bytes = new byte[d.remaining()];
                    d.get(bytes);
                    value = bytes;
                } else {
                    List<Float> f = (List<Float>) v;
                    float[] a = new float[f.size()];
                    for (int j = 0; j < a.length; j++) {
                        a[j] = f.get(j);
                    }
                    value = a;
                }
                assertThat(out.put(ids.get(i), value)).as("id %d returned twice by %s", ids.get(i), collection)
                        .isNull();
                last = Math.max(last, ids.get(i));
            }
        }
    }
}
