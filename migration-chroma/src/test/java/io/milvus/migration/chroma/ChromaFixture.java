package io.milvus.migration.chroma;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A collection in the real Chroma ({@code CHROMA_URL}, from {@code scripts/chroma-server.sh}) with known records:
 * every metadata kind (int, float, string, bool on every record; a key of mixed types; a key on some records only).
 * Fails without {@code CHROMA_URL}: never skips.
 */
final class ChromaFixture {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    static final int DIM = 8;

    final URI url;
    final ChromaClient client;
    final String tenant;
    final String database;
    final String name;
    /** id → record: embedding (float[]), document, metadata (Map). */
    final Map<String, Object[]> records = new LinkedHashMap<>();
    ChromaClient.CollectionInfo info;

    ChromaFixture(String space, int rows) {
        String u = System.getenv("CHROMA_URL");
        if (u == null || u.isBlank()) {
            throw new IllegalStateException("CHROMA_URL is not set: start Chroma with scripts/chroma-server.sh start"
                    + " and export its env (eval \"$(scripts/chroma-server.sh env)\")");
        }
        url = URI.create(u);
        client = new ChromaClient(url, "x-chroma-token", null, Duration.ofSeconds(60));
        String unique = ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        tenant = "t_" + unique;
        database = "db_" + unique;
        name = "c_" + space + "_" + unique;
        client.createTenant(tenant);
        client.createDatabase(tenant, database);
        ObjectNode body = ChromaClient.JSON.createObjectNode().put("name", name);
        body.putObject("configuration").putObject("hnsw").put("space", space).put("ef_construction", 80)
                .put("max_neighbors", 12);
        info = client.createCollection(tenant, database, body);
        var batch = new ArrayList<String>();
        for (int i = 0; i < rows; i++) {
            String id = "rec-" + (rows - i) + (i % 7 == 0 ? "-ünï" : "");   // not in storage order, some non-ASCII
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) Math.sin(i * 31 + j) * (j + 1) / 3f;
            }
            var md = new LinkedHashMap<String, Object>();
            md.put("n", (long) i * 1_000_003L);
            md.put("score", i / 7.0);
            md.put("tag", "tag " + (i % 5) + (i % 3 == 0 ? " longer text" : ""));
            md.put("ok", i % 2 == 0);
            md.put("mixed", i % 4 == 0 ? (Object) ("s" + i) : (Object) (long) i);
            if (i % 3 == 0) {
                md.put("sometimes", i);
            }
            md.put("bad key", "x" + i);   // not a Milvus field name: dynamic
            records.put(id, new Object[] {v, "document number " + i + " é", md});
            batch.add(id);
            if (batch.size() == 100 || i == rows - 1) {
                add(batch);
                batch.clear();
            }
        }
        // A cosine collection serves embeddings up to an ulp away from those added (Chroma normalises them): the
        // source is to hand out what Chroma serves, so that is what tests compare with.
        var served = client.get(tenant, database, info.id(), 0, rows, List.of("embeddings"));
        for (int i = 0; i < served.ids().size(); i++) {
            float[] v = (float[]) records.get(served.ids().get(i))[0];
            for (int j = 0; j < DIM; j++) {
                float got = (float) served.embeddings().get(i).get(j).asDouble();
                if (Math.abs(got - v[j]) > Math.ulp(v[j]) * 2) {
                    throw new IllegalStateException("Chroma serves " + got + " for " + v[j]);
                }
                v[j] = got;
            }
        }
    }

    private void add(List<String> ids) {
        ObjectNode body = ChromaClient.JSON.createObjectNode();
        ArrayNode idn = body.putArray("ids");
        ArrayNode emb = body.putArray("embeddings");
        ArrayNode docs = body.putArray("documents");
        ArrayNode mds = body.putArray("metadatas");
        for (String id : ids) {
            Object[] r = records.get(id);
            idn.add(id);
            ArrayNode e = emb.addArray();
            for (float f : (float[]) r[0]) {
                e.add(f);
            }
            docs.add((String) r[1]);
            mds.add(ChromaClient.JSON.valueToTree(r[2]));
        }
        client.add(tenant, database, info.id(), body);
    }

    ChromaSource.Builder source() {
        return ChromaSource.builder().url(url).tenant(tenant).database(database);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> metadata(String id) {
        return (Map<String, Object>) records.get(id)[2];
    }
}
