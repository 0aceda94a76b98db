package io.milvus.migration.milvus2;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.grpc.DataType;
import io.milvus.grpc.MutationResult;
import io.milvus.param.IndexType;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.collection.CreateCollectionParam;
import io.milvus.param.collection.FieldType;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.dml.InsertParam;
import io.milvus.param.index.CreateIndexParam;
import io.milvus.param.partition.CreatePartitionParam;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Collections made in the source Milvus through the Java SDK, with every row they hold kept here as the values
 * {@link io.milvus.migration.spi.Column#value} gives (JSON as text, vectors as {@code float[]} / {@code byte[]}), so
 * that what a copy reads or writes can be compared with them field by field.
 */
final class SourceFixtures {
    private SourceFixtures() {
    }

    /** A collection made here: its name and its rows by primary key, each row field name to value. */
    record Fixture(String name, Map<Object, Map<String, Object>> rows) {
    }

    static <T> T ok(R<T> r, String what) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(what + ": " + r.getMessage(), r.getException());
        }
        return r.getData();
    }

    static final int DIM = 8;

    /**
     * Every scalar type 2.3.5 has (VarChar of length 200, JSON, Int64 and VarChar arrays), a float vector with an
     * HNSW index, an STL_SORT index on an Int32 field, the dynamic field, an autoID Int64 key, partitions p1 and p2
     * besides the default one; {@code rows} rows spread over the three.
     */
    static Fixture allScalars(MilvusServiceClient c, String name, int rows) {
        var fields = List.of(
                FieldType.newBuilder().withName("id").withDataType(DataType.Int64).withPrimaryKey(true)
                        .withAutoID(true).withDescription("the key").build(),
                FieldType.newBuilder().withName("b").withDataType(DataType.Bool).build(),
                FieldType.newBuilder().withName("i8").withDataType(DataType.Int8).build(),
                FieldType.newBuilder().withName("i16").withDataType(DataType.Int16).build(),
                FieldType.newBuilder().withName("i32").withDataType(DataType.Int32).build(),
                FieldType.newBuilder().withName("i64").withDataType(DataType.Int64).build(),
                FieldType.newBuilder().withName("f").withDataType(DataType.Float).build(),
                FieldType.newBuilder().withName("d").withDataType(DataType.Double).build(),
                FieldType.newBuilder().withName("s").withDataType(DataType.VarChar).withMaxLength(200).build(),
                FieldType.newBuilder().withName("j").withDataType(DataType.JSON).build(),
                FieldType.newBuilder().withName("al").withDataType(DataType.Array).withElementType(DataType.Int64)
                        .withMaxCapacity(8).build(),
                FieldType.newBuilder().withName("as").withDataType(DataType.Array).withElementType(DataType.VarChar)
                        .withMaxCapacity(4).withMaxLength(32).build(),
                FieldType.newBuilder().withName("v").withDataType(DataType.FloatVector).withDimension(DIM).build());
        ok(c.createCollection(CreateCollectionParam.newBuilder().withCollectionName(name).withFieldTypes(fields)
                .withDescription("every scalar type").withEnableDynamicField(true).withShardsNum(2)
                .withConsistencyLevel(ConsistencyLevelEnum.BOUNDED).build()), "create " + name);
        for (String p : List.of("p1", "p2")) {
            ok(c.createPartition(CreatePartitionParam.newBuilder().withCollectionName(name).withPartitionName(p)
                    .build()), "create partition " + p);
        }
        ok(c.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("v")
                .withIndexType(IndexType.HNSW).withMetricType(MetricType.L2)
                .withExtraParam("{\"M\":8,\"efConstruction\":64}").withSyncMode(false).build()), "index v");
        ok(c.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("i32")
                .withIndexType(IndexType.STL_SORT).withSyncMode(false).build()), "index i32");
        var random = new Random(7);
        var out = new LinkedHashMap<Object, Map<String, Object>>();
        String[] partitions = {"_default", "p1", "p2"};
        for (int part = 0; part < 3; part++) {
            var json = new ArrayList<JsonObject>();
            var expected = new ArrayList<Map<String, Object>>();
            for (int r = part; r < rows; r += 3) {
                var row = new JsonObject();
                var e = new LinkedHashMap<String, Object>();
                boolean b = random.nextBoolean();
                int i8 = random.nextInt(256) - 128;
                int i16 = random.nextInt(65536) - 32768;
                int i32 = random.nextInt();
                long i64 = random.nextLong();
                float f = random.nextFloat() * 100 - 50;
                double d = random.nextDouble() * 1e6;
                String s = "row " + r + " \"quoted\" ünïcödé " + "x".repeat(random.nextInt(20));
                row.addProperty("b", b);
                row.addProperty("i8", i8);
                row.addProperty("i16", i16);
                row.addProperty("i32", i32);
                row.addProperty("i64", i64);
                row.addProperty("f", f);
                row.addProperty("d", d);
                row.addProperty("s", s);
                var j = new JsonObject();
                j.addProperty("n", r);
                j.addProperty("tag", "t" + (r % 5));
                row.add("j", j);
                var al = new JsonArray();
                var alList = new ArrayList<Long>();
                for (int k = 0; k < r % 9; k++) {
                    al.add((long) r * k);
                    alList.add((long) r * k);
                }
                row.add("al", al);
                var as = new JsonArray();
                var asList = new ArrayList<String>();
                for (int k = 0; k < r % 5; k++) {
                    as.add("e" + k);
                    asList.add("e" + k);
                }
                row.add("as", as);
                var v = new JsonArray();
                float[] vec = new float[DIM];
                for (int k = 0; k < DIM; k++) {
                    vec[k] = random.nextFloat();
                    v.add(vec[k]);
                }
                row.add("v", v);
                row.addProperty("extra", "dyn" + r); // the dynamic field
                if (r % 2 == 0) {
                    row.addProperty("more", r);
                }
                json.add(row);
                e.put("b", b);
                e.put("i8", i8);
                e.put("i16", i16);
                e.put("i32", i32);
                e.put("i64", i64);
                e.put("f", f);
                e.put("d", d);
                e.put("s", s);
                e.put("j", j.toString());
                e.put("al", alList);
                e.put("as", asList);
                e.put("v", vec);
                e.put("$meta", r % 2 == 0 ? "{\"extra\":\"dyn" + r + "\",\"more\":" + r + "}"
                        : "{\"extra\":\"dyn" + r + "\"}");
                e.put("$partition", part == 0 ? "" : partitions[part]);
                expected.add(e);
            }
            for (int from = 0; from < json.size(); from += 10_000) {
                int to = Math.min(json.size(), from + 10_000);
                MutationResult m = ok(c.insert(InsertParam.newBuilder().withCollectionName(name)
                        .withPartitionName(partitions[part]).withRows(json.subList(from, to)).build()), "insert");
                List<Long> ids = m.getIDs().getIntId().getDataList();
                for (int i = 0; i < ids.size(); i++) {
                    Map<String, Object> e = expected.get(from + i);
                    e.put("id", ids.get(i));
                    out.put(ids.get(i), e);
                }
            }
        }
        ok(c.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name).withSyncLoad(true).build()),
                "load " + name);
        return new Fixture(name, out);
    }

    /** Adds {@code rows} rows to partition p1 of an {@link #allScalars} collection; they are not kept here. */
    static void allScalarsMore(MilvusServiceClient c, String name, int rows) {
        var json = new ArrayList<JsonObject>();
        for (int r = 0; r < rows; r++) {
            var row = new JsonObject();
            row.addProperty("b", true);
            for (String f : List.of("i8", "i16", "i32", "i64", "f", "d")) {
                row.addProperty(f, 1);
            }
            row.addProperty("s", "late");
            row.add("j", new JsonObject());
            row.add("al", new JsonArray());
            row.add("as", new JsonArray());
            var v = new JsonArray();
            for (int k = 0; k < DIM; k++) {
                v.add(0.5f);
            }
            row.add("v", v);
            json.add(row);
        }
        ok(c.insert(InsertParam.newBuilder().withCollectionName(name).withPartitionName("p1").withRows(json)
                .build()), "insert more into " + name);
    }

    /**
     * A VarChar key (length 64), an Int64 partition key, a float16 vector (IVF_FLAT, nlist 16) and JSON; rows
     * spread by key over Milvus's partitions.
     */
    static Fixture varcharKey(MilvusServiceClient c, String name, int rows) {
        var fields = List.of(
                FieldType.newBuilder().withName("pk").withDataType(DataType.VarChar).withMaxLength(64)
                        .withPrimaryKey(true).build(),
                FieldType.newBuilder().withName("tenant").withDataType(DataType.Int64).withPartitionKey(true).build(),
                FieldType.newBuilder().withName("meta").withDataType(DataType.JSON).build(),
                FieldType.newBuilder().withName("h").withDataType(DataType.Float16Vector).withDimension(DIM).build());
        ok(c.createCollection(CreateCollectionParam.newBuilder().withCollectionName(name).withFieldTypes(fields)
                .withPartitionsNum(4).build()), "create " + name);
        ok(c.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("h")
                .withIndexType(IndexType.IVF_FLAT).withMetricType(MetricType.IP).withExtraParam("{\"nlist\":16}")
                .withSyncMode(false).build()), "index h");
        var random = new Random(11);
        var out = new LinkedHashMap<Object, Map<String, Object>>();
        var pks = new ArrayList<String>();
        var tenants = new ArrayList<Long>();
        var metas = new ArrayList<JsonObject>();
        var vectors = new ArrayList<ByteBuffer>();
        for (int r = 0; r < rows; r++) {
            // keys whose text order differs from their number order, some with quotes and non-ASCII letters
            String pk = (r % 3 == 0 ? "k\"" : r % 3 == 1 ? "é" : "K") + Integer.toString(r * 7919 % 100_003, 36);
            long tenant = r % 10;
            var meta = new JsonObject();
            meta.addProperty("r", r);
            float[] v = new float[DIM];
            for (int k = 0; k < DIM; k++) {
                v[k] = random.nextFloat();
            }
            byte[] half = io.milvus.migration.spi.Column.HalfVectors.of(
                    io.milvus.migration.spi.DataType.FLOAT16_VECTOR, DIM, v).values();
            pks.add(pk);
            tenants.add(tenant);
            metas.add(meta);
            vectors.add(ByteBuffer.wrap(half));
            var e = new LinkedHashMap<String, Object>();
            e.put("pk", pk);
            e.put("tenant", tenant);
            e.put("meta", meta.toString());
            e.put("h", half);
            e.put("$partition", "");
            out.put(pk, e);
        }
        insertColumns(c, name, "", rows, Map.of("pk", pks, "tenant", tenants, "meta", metas, "h", vectors));
        ok(c.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name).withSyncLoad(true).build()),
                "load " + name);
        return new Fixture(name, out);
    }

    /** An Int64 key (not autoID), an Int32 and a binary vector (dim 32, BIN_IVF_FLAT). */
    static Fixture binary(MilvusServiceClient c, String name, int rows) {
        var fields = List.of(
                FieldType.newBuilder().withName("id").withDataType(DataType.Int64).withPrimaryKey(true).build(),
                FieldType.newBuilder().withName("n").withDataType(DataType.Int32).build(),
                FieldType.newBuilder().withName("bv").withDataType(DataType.BinaryVector).withDimension(32).build());
        ok(c.createCollection(CreateCollectionParam.newBuilder().withCollectionName(name).withFieldTypes(fields)
                .build()), "create " + name);
        ok(c.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("bv")
                .withIndexType(IndexType.BIN_IVF_FLAT).withMetricType(MetricType.HAMMING)
                .withExtraParam("{\"nlist\":8}").withSyncMode(false).build()), "index bv");
        var random = new Random(13);
        var out = new LinkedHashMap<Object, Map<String, Object>>();
        var ids = new ArrayList<Long>();
        var ns = new ArrayList<Integer>();
        var vs = new ArrayList<ByteBuffer>();
        for (int r = 0; r < rows; r++) {
            long id = -5_000L + r * 3L; // negative keys too
            byte[] v = new byte[4];
            random.nextBytes(v);
            ids.add(id);
            ns.add(r);
            vs.add(ByteBuffer.wrap(v));
            var e = new LinkedHashMap<String, Object>();
            e.put("id", id);
            e.put("n", r);
            e.put("bv", v);
            e.put("$partition", "");
            out.put(id, e);
        }
        insertColumns(c, name, "", rows, Map.of("id", ids, "n", ns, "bv", vs));
        ok(c.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name).withSyncLoad(true).build()),
                "load " + name);
        return new Fixture(name, out);
    }

    /**
     * {@code rows} rows of an Int64 key (0, 1, ...), a VarChar (length 48) and a float vector (IVF_FLAT, nlist 64),
     * half in partition "even" (even keys), half in the default partition; inserted in batches of 10,000.
     */
    static Fixture big(MilvusServiceClient c, String name, int rows, boolean keep) {
        var fields = List.of(
                FieldType.newBuilder().withName("id").withDataType(DataType.Int64).withPrimaryKey(true).build(),
                FieldType.newBuilder().withName("title").withDataType(DataType.VarChar).withMaxLength(48).build(),
                FieldType.newBuilder().withName("v").withDataType(DataType.FloatVector).withDimension(DIM).build());
        ok(c.createCollection(CreateCollectionParam.newBuilder().withCollectionName(name).withFieldTypes(fields)
                .build()), "create " + name);
        ok(c.createPartition(CreatePartitionParam.newBuilder().withCollectionName(name).withPartitionName("even")
                .build()), "create partition even");
        ok(c.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("v")
                .withIndexType(IndexType.IVF_FLAT).withMetricType(MetricType.L2).withExtraParam("{\"nlist\":64}")
                .withSyncMode(false).build()), "index v");
        var random = new Random(17);
        var out = new LinkedHashMap<Object, Map<String, Object>>();
        for (int parity = 0; parity < 2; parity++) {
            for (int from = parity; from < rows; from += 20_000) {
                var ids = new ArrayList<Long>();
                var titles = new ArrayList<String>();
                var vectors = new ArrayList<List<Float>>();
                for (int r = from; r < Math.min(rows, from + 20_000); r += 2) {
                    var v = new ArrayList<Float>(DIM);
                    float[] vec = new float[DIM];
                    for (int k = 0; k < DIM; k++) {
                        vec[k] = random.nextFloat();
                        v.add(vec[k]);
                    }
                    ids.add((long) r);
                    titles.add("title " + r);
                    vectors.add(v);
                    if (keep) {
                        var e = new LinkedHashMap<String, Object>();
                        e.put("id", (long) r);
                        e.put("title", "title " + r);
                        e.put("v", vec);
                        e.put("$partition", parity == 0 ? "even" : "");
                        out.put((long) r, e);
                    }
                }
                insertColumns(c, name, parity == 0 ? "even" : "_default", ids.size(),
                        Map.of("id", ids, "title", titles, "v", vectors));
            }
        }
        ok(c.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name).withSyncLoad(true).build()),
                "load " + name);
        return new Fixture(name, out);
    }

    private static void insertColumns(MilvusServiceClient c, String name, String partition, int rows,
                                      Map<String, List<?>> columns) {
        for (int from = 0; from < rows; from += 10_000) {
            int to = Math.min(rows, from + 10_000);
            var fields = new ArrayList<InsertParam.Field>();
            for (var e : columns.entrySet()) {
                fields.add(new InsertParam.Field(e.getKey(), e.getValue().subList(from, to)));
            }
            var insert = InsertParam.newBuilder().withCollectionName(name).withFields(fields);
            if (!partition.isEmpty()) {
                insert.withPartitionName(partition);
            }
            ok(c.insert(insert.build()), "insert into " + name);
        }
    }
}
