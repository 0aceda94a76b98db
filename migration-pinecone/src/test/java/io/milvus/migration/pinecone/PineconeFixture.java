package io.milvus.migration.pinecone;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.pinecone.proto.SparseValues;
import io.pinecone.proto.Vector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records of every kind Pinecone holds, put into a {@link PineconeSpecStub}: namespaces (the default one, a plain
 * name and one that is no Milvus partition name), dense values, sparse values, metadata of strings, whole and
 * fractional numbers, booleans and string lists, keys that only some records have.
 */
final class PineconeFixture implements AutoCloseable {
    static final String KEY = "pc-test-key-7f3a";
    static final int DIM = 8;

    final PineconeSpecStub stub;
    final PineconeSpecStub.IndexData index;
    /** Namespace ("" for the default one) → id → record, as upserted. */
    final Map<String, Map<String, Vector>> records = new LinkedHashMap<>();

    /**
     * @param vectorType  dense or sparse
     * @param sparseEvery every how many records of a dense index get sparse values too (0: none)
     * @param counts      records per namespace
     */
    PineconeFixture(String name, String metric, String vectorType, int sparseEvery, Map<String, Integer> counts)
            throws IOException {
        stub = new PineconeSpecStub(KEY);
        boolean dense = vectorType.equals("dense");
        index = stub.index(name, dense ? DIM : null, metric, vectorType);
        var rnd = new Random(name.hashCode());
        int serial = 0;
        for (var e : counts.entrySet()) {
            var ns = new LinkedHashMap<String, Vector>();
            for (int i = 0; i < e.getValue(); i++, serial++) {
                // ids whose bytewise order differs from String order, and a multi-byte one
                String id = i == 3 ? "é-" + serial : i == 4 ? "Z" + serial : "doc-" + serial + "#" + (i % 7);
                var v = Vector.newBuilder().setId(id);
                if (dense) {
                    for (int j = 0; j < DIM; j++) {
                        v.addValues(rnd.nextFloat() * 2 - 1);
                    }
                }
                if (!dense || sparseEvery > 0 && serial % sparseEvery == 0) {
                    var s = SparseValues.newBuilder();
                    // unsorted indices, and one above 2^31 (unsigned in Pinecone's protocol)
                    s.addIndices(1000 + serial).addValues(0.5f + serial);
                    s.addIndices(7).addValues(rnd.nextFloat());
                    if (serial % 3 == 0) {
                        s.addIndices((int) 3_000_000_000L).addValues(-1.25f);
                    }
                    v.setSparseValues(s);
                }
                v.setMetadata(metadata(serial, i));
                Vector built = v.build();
                ns.put(id, built);
                index.put(e.getKey(), built);
            }
            records.put(e.getKey(), ns);
        }
    }

    static Struct metadata(int serial, int i) {
        var m = Struct.newBuilder();
        m.putFields("title", str("title " + serial + (i % 2 == 0 ? " – ünïcødé" : "")));
        m.putFields("year", num(1990 + serial % 30));
        m.putFields("score", num(serial / 8.0 + 0.125));
        m.putFields("draft", Value.newBuilder().setBoolValue(serial % 2 == 0).build());
        var tags = ListValue.newBuilder();
        for (int t = 0; t < serial % 4; t++) {
            tags.addValues(str("tag" + t));
        }
        m.putFields("tags", Value.newBuilder().setListValue(tags).build());
        if (serial % 5 == 0) {
            m.putFields("note", str("only on some"));
        }
        return m.build();
    }

    static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    static Value num(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    /** A source of this fixture's index, on the stub's ports, without TLS. */
    PineconeSource.Builder source() {
        return PineconeSource.builder().index(index.name).apiKey(KEY).controllerUrl(stub.controllerUrl())
                .useTls(false);
    }

    List<String> ids(String namespace) {
        var ids = new ArrayList<>(records.get(namespace).keySet());
        ids.sort((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return ids;
    }

    @Override
    public void close() {
        stub.close();
    }
}
