package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.QueryResultsWrapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's program as a user runs it, against the real Milvus of scripts/milvus-server.sh (MILVUS_URI), on a
 * Faiss index written by real Faiss (CONSUMER_FAISS_DIR, from scripts/faiss-fixtures.sh). scripts/consumer-test.sh
 * runs the same program as a plain {@code java} main first and names its collection in CONSUMER_MAIN_COLLECTION;
 * both collections are then checked row by row in Milvus. Missing settings fail the test: it never skips.
 *
 * <p>The Milvus client used for the checks is milvus-sdk-java, which migration-milvus2 brings.
 */
class MigrateFaissTest {
    static final String FIXTURE = "idmap_ivfflat";
    static MilvusServiceClient milvus;
    static final List<String> created = new ArrayList<>();

    @TempDir
    Path tmp;

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run scripts/consumer-test.sh (it starts nothing: "
                    + "eval \"$(scripts/milvus-server.sh env)\" first)");
        }
        return v;
    }

    @BeforeAll
    static void connect() {
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(env("MILVUS_URI")).build());
    }

    @AfterAll
    static void dropAndClose() {
        if (milvus != null) {
            for (String c : created) {
                milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c).build());
            }
            milvus.close();
        }
    }

    @Test
    void theReadmeProgramRunsInATest() throws Exception {
        String collection = "consumer_test_" + ProcessHandle.current().pid();
        created.add(collection);
        MigrateFaiss.main(new String[] {index().toString(), env("MILVUS_URI"), collection, tmp.toString()});
        assertEveryRowIn(collection);
    }

    @Test
    void theReadmeProgramRanAsAMain() throws Exception {
        String collection = env("CONSUMER_MAIN_COLLECTION");
        created.add(collection);
        assertEveryRowIn(collection);
    }

    static Path index() {
        return Path.of(env("CONSUMER_FAISS_DIR"), FIXTURE + ".index");
    }

    /** Milvus holds exactly the rows of the index: the count, and every id with the vector Faiss reconstructs. */
    @SuppressWarnings("unchecked")
    static void assertEveryRowIn(String collection) throws IOException {
        Map<Long, float[]> expected = expected(Path.of(env("CONSUMER_FAISS_DIR"), FIXTURE + ".expected"));
        R<io.milvus.grpc.QueryResults> count = milvus.query(QueryParam.newBuilder().withCollectionName(collection)
                .withExpr("").withOutFields(List.of("count(*)"))
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        assertEquals(R.Status.Success.getCode(), count.getStatus(), () -> count.getMessage());
        long rows = (Long) new QueryResultsWrapper(count.getData()).getFieldWrapper("count(*)").getFieldData().get(0);
        assertEquals(expected.size(), rows, "rows in " + collection);

        List<Long> ids = new ArrayList<>(expected.keySet());
        int checked = 0;
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            R<io.milvus.grpc.QueryResults> r = milvus.query(QueryParam.newBuilder().withCollectionName(collection)
                    .withExpr("id in " + chunk).withOutFields(List.of("id", "vector"))
                    .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
            assertEquals(R.Status.Success.getCode(), r.getStatus(), () -> r.getMessage());
            var w = new QueryResultsWrapper(r.getData());
            List<Long> got = (List<Long>) w.getFieldWrapper("id").getFieldData();
            List<List<Float>> vectors = (List<List<Float>>) w.getFieldWrapper("vector").getFieldData();
            assertEquals(chunk.size(), got.size(), "ids found in " + collection);
            for (int i = 0; i < got.size(); i++) {
                float[] want = expected.get(got.get(i));
                float[] have = new float[vectors.get(i).size()];
                for (int j = 0; j < have.length; j++) {
                    have[j] = vectors.get(i).get(j);
                }
                assertArrayEquals(want, have, "vector of id " + got.get(i));
                checked++;
            }
        }
        assertTrue(checked > 0 && checked == expected.size(), "checked " + checked + " rows");
    }

    /** The fixture's .expected file: "FXEX", version, kind 0 (float), dim, metric, n, then n x (id, dim floats). */
    static Map<Long, float[]> expected(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        b.get(magic);
        assertEquals("FXEX", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(), "version");
        assertEquals(0, b.getInt(), "kind (float)");
        int dim = b.getInt();
        b.getLong();   // metric
        long n = b.getLong();
        Map<Long, float[]> rows = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            long id = b.getLong();
            float[] v = new float[dim];
            b.asFloatBuffer().get(v);
            b.position(b.position() + 4 * dim);
            rows.put(id, v);
        }
        return rows;
    }
}
