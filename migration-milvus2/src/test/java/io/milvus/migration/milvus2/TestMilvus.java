package io.milvus.migration.milvus2;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.QueryResultsWrapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Milvus the integration tests run against: {@code MILVUS_URI}, set by
 * {@code eval "$(scripts/milvus-server.sh env)"} after {@code scripts/milvus-server.sh start}. Without it the tests
 * fail: they never skip.
 */
final class TestMilvus implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String uri;
    final MilvusServiceClient client;

    TestMilvus() {
        this("MILVUS_URI");
    }

    /** The Milvus whose address is in the environment variable {@code uriVariable} (such as MILVUS_S3_URI). */
    TestMilvus(String uriVariable) {
        String u = System.getenv(uriVariable);
        if (u == null || u.isBlank()) {
            throw new IllegalStateException(uriVariable + " is not set: start the test Milvus with "
                    + "scripts/milvus-server.sh start and export its env (eval \"$(scripts/milvus-server.sh env)\")");
        }
        this.uri = u;
        this.client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    /** A collection name no other test uses. */
    static String uniqueName(String base) {
        return base + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    MilvusTarget.Builder target() {
        return MilvusTarget.builder().uri(uri).createIndex("FLAT").loadCollection(true);
    }

    /** A target for binary vectors: Milvus needs an index before loading, and FLAT is float-only. */
    MilvusTarget.Builder binaryTarget() {
        return MilvusTarget.builder().uri(uri).createIndex("BIN_FLAT").loadCollection(true);
    }

    /** Every row of a loaded collection with a binary vector field, id to its bytes, read back by id. */
    @SuppressWarnings("unchecked")
    Map<Long, byte[]> readAllBinary(String collection, Iterable<Long> ids, String idField, String vectorField) {
        var out = new HashMap<Long, byte[]>();
        var chunk = new ArrayList<Long>();
        for (var it = ids.iterator(); it.hasNext(); ) {
            chunk.add(it.next());
            if (chunk.size() == 1000 || !it.hasNext()) {
                R<io.milvus.grpc.QueryResults> r = client.query(QueryParam.newBuilder()
                        .withCollectionName(collection).withExpr(idField + " in " + chunk)
                        .withOutFields(List.of(idField, vectorField))
                        .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
                if (r.getStatus() != R.Status.Success.getCode()) {
                    throw new IllegalStateException("query failed: " + r.getMessage());
                }
                var w = new QueryResultsWrapper(r.getData());
                List<Long> gotIds = (List<Long>) w.getFieldWrapper(idField).getFieldData();
                List<java.nio.ByteBuffer> vectors =
                        (List<java.nio.ByteBuffer>) w.getFieldWrapper(vectorField).getFieldData();
                for (int i = 0; i < gotIds.size(); i++) {
                    java.nio.ByteBuffer v = vectors.get(i).duplicate();
                    byte[] bytes = new byte[v.capacity()];
                    v.clear();
                    v.get(bytes);
                    if (out.put(gotIds.get(i), bytes) != null) {
                        throw new IllegalStateException("id " + gotIds.get(i) + " returned twice by " + collection);
                    }
                }
                chunk.clear();
            }
        }
        return out;
    }

    /** Rows the collection holds after a flush, as Milvus counts them (a row imported twice counts twice). */
    long rowCount(String collection) {
        check(client.flush(io.milvus.param.collection.FlushParam.newBuilder().addCollectionName(collection).build()),
                "flush " + collection);
        var stats = check(client.getCollectionStatistics(io.milvus.param.collection.GetCollectionStatisticsParam
                .newBuilder().withCollectionName(collection).withFlush(false).build()), "count " + collection);
        return new io.milvus.response.GetCollStatResponseWrapper(stats).getRowCount();
    }

    /** Milvus's id of the collection: a dropped and recreated collection gets a new one. */
    long collectionId(String collection) {
        return check(client.describeCollection(io.milvus.param.collection.DescribeCollectionParam.newBuilder()
                .withCollectionName(collection).build()), "describe " + collection).getCollectionID();
    }

    /**
     * Creates a collection with fields {@code id} (INT64 primary key) and {@code vector} (float, {@code dim}) and
     * inserts one row per id with a made-up vector, the way a user's own earlier data would look.
     */
    void createWithRows(String collection, int dim, List<Long> ids) {
        create(collection, dim);
        var vectors = new ArrayList<List<Float>>();
        for (Long id : ids) {
            var v = new ArrayList<Float>(dim);
            for (int i = 0; i < dim; i++) {
                v.add((float) (id % 97) + i / 10f);
            }
            vectors.add(v);
        }
        check(client.insert(io.milvus.param.dml.InsertParam.newBuilder().withCollectionName(collection)
                .withFields(List.of(new io.milvus.param.dml.InsertParam.Field("id", ids),
                        new io.milvus.param.dml.InsertParam.Field("vector", vectors))).build()),
                "insert into " + collection);
    }

    /** The state of an import task as Milvus names it (ImportPending, ImportStarted, ImportPersisted, ...). */
    String importState(long task) {
        return check(client.getBulkInsertState(io.milvus.param.bulkinsert.GetBulkInsertStateParam.newBuilder()
                .withTask(task).build()), "get state of import " + task).getState().name();
    }

    /** Creates a collection with fields {@code id} (INT64 primary key) and {@code vector} (float, {@code dim}). */
    void create(String collection, int dim) {
        check(client.createCollection(io.milvus.param.collection.CreateCollectionParam.newBuilder()
                .withCollectionName(collection).withShardsNum(1)
                .addFieldType(io.milvus.param.collection.FieldType.newBuilder().withName("id")
                        .withDataType(io.milvus.grpc.DataType.Int64).withPrimaryKey(true).withAutoID(false).build())
                .addFieldType(io.milvus.param.collection.FieldType.newBuilder().withName("vector")
                        .withDataType(io.milvus.grpc.DataType.FloatVector).withDimension(dim).build())
                .build()), "create " + collection);
    }

    private static <T> T check(R<T> r, String what) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(what + " failed: " + r.getMessage());
        }
        return r.getData();
    }

    boolean exists(String collection) {
        return client.hasCollection(HasCollectionParam.newBuilder().withCollectionName(collection).build())
                .getData();
    }

    void drop(String collection) {
        client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
    }

    /** Every row of a loaded collection, id to vector, read back by id. */
    @SuppressWarnings("unchecked")
    Map<Long, float[]> readAll(String collection, Iterable<Long> ids, String idField, String vectorField) {
        var out = new HashMap<Long, float[]>();
        var chunk = new ArrayList<Long>();
        for (Long id : ids) {
            chunk.add(id);
            if (chunk.size() == 1000) {
                query(collection, chunk, idField, vectorField, out);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            query(collection, chunk, idField, vectorField, out);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private void query(String collection, List<Long> ids, String idField, String vectorField, Map<Long, float[]> out) {
        R<io.milvus.grpc.QueryResults> r = client.query(QueryParam.newBuilder().withCollectionName(collection)
                .withExpr(idField + " in " + ids).withOutFields(List.of(idField, vectorField))
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException("query failed: " + r.getMessage());
        }
        var w = new QueryResultsWrapper(r.getData());
        List<Long> gotIds = (List<Long>) w.getFieldWrapper(idField).getFieldData();
        List<List<Float>> vectors = (List<List<Float>>) w.getFieldWrapper(vectorField).getFieldData();
        for (int i = 0; i < gotIds.size(); i++) {
            List<Float> v = vectors.get(i);
            float[] f = new float[v.size()];
            for (int j = 0; j < f.length; j++) {
                f[j] = v.get(j);
            }
            if (out.put(gotIds.get(i), f) != null) {
                throw new IllegalStateException("id " + gotIds.get(i) + " returned twice by " + collection);
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
