package io.milvus.migration.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.Transforms;
import io.milvus.migration.milvus2.MilvusSource;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.DescIndexResponseWrapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pgvector table of every column kind migrated into the real Milvus 2.3.5 ({@code MILVUS_URI}): every row read
 * back from Milvus and compared field by field with what the source read (whose values {@link PgvectorSourceIT}
 * checks against the table). Milvus 2.3.5 holds one vector field per collection and no nullable field, so the table
 * goes as three collections: every scalar with {@code emb} and its HNSW index by bulk import, {@code half} (float16)
 * by insert (2.3.5's bulk import cannot read float16), and {@code bits} by bulk import. The nullable {@code small}
 * and the sparse vector, which 2.3.5 lacks, are read in PgvectorSourceIT. Fails (never skips) without either server.
 */
class PgvectorToMilvusIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SCALARS = List.of("id", "flag", "num", "big", "r", "d", "amount", "title",
            "code", "u", "day", "at", "atz", "doc", "j", "tags", "nums");

    @TempDir
    Path staging;

    @Test
    void everyRowArrivesWithEveryFieldAndTheHnswIndex() {
        String uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start scripts/milvus-server.sh and export its env");
        }
        var fx = new PgFixture();
        String table = fx.everyType(120);
        fx.exec("CREATE INDEX ON " + table + " USING hnsw (emb vector_cosine_ops) WITH (m = 10, ef_construction = 50)");
        var client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        var parts = Map.of(
                table, new Part(concat(SCALARS, "emb"), true),
                table + "_half", new Part(List.of("id", "half"), false),
                table + "_bits", new Part(List.of("id", "bits"), true));
        try (var source = fx.source().table(table).partRows(50).build()) {
            Map<Object, Map<String, Object>> want = rows(source);
            assertThat(want).hasSize(120);
            for (var e : parts.entrySet()) {
                String collection = e.getKey();
                Part part = e.getValue();
                try (var target = MilvusTarget.builder().uri(uri).bulkImport(part.bulk()).loadCollection(true)
                        .build()) {
                    MigrationReport report = Migration.builder().source(source).target(target)
                            .transform(Transforms.selectFields(part.fields())).collectionName(collection)
                            .bulkFormat(BulkFormat.JSON).staging(LocalStorage.at(staging)).build().run();
                    assertThat(report.rowsLoaded()).as(collection).isEqualTo(120);
                }
                try (var back = MilvusSource.builder().uri(uri).collection(collection).build()) {
                    var schema = back.collections().get(0).schema();
                    assertThat(schema.fields()).extracting(FieldSchema::name).as(collection)
                            .containsExactlyInAnyOrderElementsOf(part.fields());
                    Map<Object, Map<String, Object>> got = rows(back);
                    assertThat(got.keySet()).as(collection).containsExactlyInAnyOrderElementsOf(want.keySet());
                    got.forEach((id, row) -> part.fields().forEach(f -> assertThat(same(row.get(f), want.get(id)
                            .get(f), schema.field(f).orElseThrow().type())).as("%s of row %s in %s: %s, not %s", f, id,
                            collection, show(row.get(f)), show(want.get(id).get(f))).isTrue()));
                }
            }
            var index = new DescIndexResponseWrapper(check(client.describeIndex(DescribeIndexParam.newBuilder()
                    .withCollectionName(table).withFieldName("emb").build()))).getIndexDescByFieldName("emb");
            assertThat(index.getIndexType().name()).isEqualTo("HNSW");
            assertThat(index.getMetricType().name()).isEqualTo("COSINE");
            assertThat(index.getExtraParam()).contains("\"M\":\"10\"").contains("\"efConstruction\":\"50\"");
        } finally {
            parts.keySet().forEach(c -> client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c)
                    .build()));
            client.close();
        }
    }

    private record Part(List<String> fields, boolean bulk) {
    }

    private static List<String> concat(List<String> a, String b) {
        var out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }

    /** Every row of the source's first collection by key: field name to value. */
    private static Map<Object, Map<String, Object>> rows(Source source) {
        var out = new HashMap<Object, Map<String, Object>>();
        var collection = source.collections().get(0);
        String key = collection.schema().primaryKey().name();
        for (Split split : source.splits(collection)) {
            try (SplitReader r = source.open(split)) {
                Optional<Batch> next;
                while ((next = r.next(1_000)).isPresent()) {
                    Batch b = next.get();
                    for (int i = 0; i < b.rowCount(); i++) {
                        var row = new HashMap<String, Object>();
                        for (var c : b.columns().entrySet()) {
                            row.put(c.getKey(), c.getValue().value(i));
                        }
                        assertThat(out.put(b.column(key).value(i), row)).as("key read twice").isNull();
                    }
                }
            }
        }
        return out;
    }

    private static boolean same(Object got, Object want, DataType type) {
        if (got instanceof float[] a && want instanceof float[] b) {
            return Arrays.equals(a, b);
        }
        if (got instanceof byte[] a && want instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        if (type == DataType.JSON && got instanceof String a && want instanceof String b) {
            try {
                return JSON.readTree(a).equals(JSON.readTree(b));
            } catch (java.io.IOException e) {
                return false;
            }
        }
        return java.util.Objects.equals(got, want);
    }

    private static String show(Object v) {
        return v instanceof float[] a ? Arrays.toString(a) : v instanceof byte[] b ? Arrays.toString(b)
                : String.valueOf(v);
    }

    private static <T> T check(R<T> r) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(r.getMessage());
        }
        return r.getData();
    }
}
