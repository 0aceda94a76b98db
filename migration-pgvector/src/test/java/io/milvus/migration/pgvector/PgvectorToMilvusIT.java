package io.milvus.migration.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.Transforms;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.DescIndexResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pgvector table migrated into the real Milvus 2.3.5 ({@code MILVUS_URI}) with the HNSW index it had; every row
 * read back and compared. Fails (never skips) without either server.
 */
class PgvectorToMilvusIT {
    // Milvus 2.3 holds one vector field per collection, and the target on main carries INT64, VARCHAR and vector
    // fields so far (the other kinds arrive with the types work); every column kind is read in PgvectorSourceIT.
    private static final List<String> CARRIED = List.of("id", "emb", "big", "title", "code", "u", "day");

    @TempDir
    Path staging;

    @Test
    void everyRowArrivesWithItsValuesAndTheHnswIndex() {
        String uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start scripts/milvus-server.sh and export its env");
        }
        var fx = new PgFixture();
        String table = fx.everyType(120);
        fx.exec("CREATE INDEX ON " + table + " USING hnsw (emb vector_cosine_ops) WITH (m = 10, ef_construction = 50)");
        var client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        try (var source = fx.source().table(table).partRows(50).build();
             var target = MilvusTarget.builder().uri(uri).loadCollection(true).build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .transform(Transforms.selectFields(CARRIED)).bulkFormat(BulkFormat.JSON)
                    .staging(LocalStorage.at(staging)).build().run();
            assertThat(report.rowsLoaded()).isEqualTo(120);

            var index = new DescIndexResponseWrapper(check(client.describeIndex(DescribeIndexParam.newBuilder()
                    .withCollectionName(table).withFieldName("emb").build()))).getIndexDescByFieldName("emb");
            assertThat(index.getIndexType().name()).isEqualTo("HNSW");
            assertThat(index.getMetricType().name()).isEqualTo("COSINE");
            assertThat(index.getExtraParam()).contains("\"M\":\"10\"").contains("\"efConstruction\":\"50\"");

            var rows = new HashMap<Long, QueryResultsWrapper.RowRecord>();
            var r = check(client.query(QueryParam.newBuilder().withCollectionName(table).withExpr("id >= 0")
                    .withOutFields(CARRIED).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
            for (var row : new QueryResultsWrapper(r).getRowRecords()) {
                assertThat(rows.put((Long) row.get("id"), row)).isNull();
            }
            assertThat(rows).hasSize(120);
            rows.forEach((id, row) -> {
                int i = id.intValue();
                assertThat(row.get("emb")).as("row %d", i).isEqualTo(List.of((float) i, (float) (i / 3.0), -i * 1.5f,
                        0.125f));
                assertThat(row.get("big")).isEqualTo(i * 10_000_000_000L);
                assertThat(row.get("title")).isEqualTo(PgvectorSourceIT.title(i));
                assertThat(row.get("code")).isEqualTo("c" + i);
                assertThat(row.get("u")).isEqualTo(PgvectorSourceIT.uuid(i));
                assertThat(row.get("day")).isEqualTo(
                        LocalDate.of(2024, 1, 1).plusDays(i).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000);
            });
            assertThat(rows.keySet()).allMatch(id -> id >= 1 && id <= 120);
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(table).build());
            client.close();
        }
    }

    private static <T> T check(R<T> r) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(r.getMessage());
        }
        return r.getData();
    }
}
