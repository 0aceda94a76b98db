package io.milvus.migration.milvus1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Transform;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.QueryResultsWrapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard scenario with its catalogue in the real MariaDB of {@code scripts/mariadb-server.sh} (tables as
 * Milvus 1.1's MySQLMetaImpl creates them): every live row read bit for bit through the MySQL catalogue, by JDBC
 * URL and by the Go tool's DSN; deleted, stale and dropped rows absent; meta.json exported from it; and one run into
 * the real Milvus. Fails (never skips) without {@code MILVUS1_MYSQL_URL} (and {@code MILVUS_URI} for the last).
 */
class Milvus1MysqlMetaIT {
    private final Milvus1Mysql mysql = Milvus1Mysql.fromEnv();

    @TempDir
    Path dir;
    private String database;
    private String url;
    private Milvus1Fixture fx;

    @BeforeEach
    void catalogue() {
        database = mysql.createDatabase();
        url = mysql.urlOf(database);
        fx = Milvus1Fixture.standard(dir, "").writeMysqlCatalogue(url, mysql.user, mysql.password);
    }

    @AfterEach
    void drop() {
        mysql.dropDatabase(database);
    }

    private void assertEveryLiveRowAndNothingElse(Milvus1Source source) {
        var got = SourceRows.readAll(source, 7);
        assertThat(got.keySet()).containsExactly("flt", "ip", "bin", "tan");
        assertThat(got.keySet()).containsExactlyElementsOf(fx.expected.keySet());
        fx.expected.forEach((collection, partitions) -> {
            assertThat(got.get(collection).keySet()).as("partitions of %s", collection)
                    .containsExactlyInAnyOrderElementsOf(partitions.keySet());
            partitions.forEach((partition, rows) -> {
                Map<Long, byte[]> read = got.get(collection).get(partition);
                assertThat(read.keySet()).as("ids of %s/%s", collection, partition)
                        .containsExactlyInAnyOrderElementsOf(rows.keySet());
                rows.forEach((id, v) -> assertThat(read.get(id)).as("vector of %d", id).isEqualTo(v));
            });
        });
        Set<Long> all = new HashSet<>();
        got.values().forEach(p -> p.values().forEach(r -> all.addAll(r.keySet())));
        assertThat(all).as("deleted, stale and dropped ids").doesNotContainAnyElementsOf(fx.absent);
        assertThat(fx.absent).isNotEmpty();
    }

    @Test
    void everyLiveRowThroughTheMysqlCatalogue() {
        try (var source = Milvus1Source.builder().directory(dir).mysqlMeta(url, mysql.user, mysql.password).build()) {
            assertEveryLiveRowAndNothingElse(source);
            assertThat(source.describe()).contains("MySQL catalogue").contains(database)
                    .doesNotContain(mysql.password);
            assertThat(source.toString()).doesNotContain(mysql.password);
        }
        // jdbc:mysql: URLs and a tables directory without a data directory work too
        try (var source = Milvus1Source.builder().tablesDirectory(fx.tables())
                .mysqlMeta(url.replace("jdbc:mariadb:", "jdbc:mysql:"), mysql.user, mysql.password).build()) {
            assertEveryLiveRowAndNothingElse(source);
        }
    }

    @Test
    void everyLiveRowThroughTheGoToolsDsn() {
        String dsn = mysql.user + ":" + mysql.password + "@tcp(" + mysql.hostPort() + ")/" + database
                + "?charset=utf8mb4&parseTime=True&loc=Local";
        try (var source = Milvus1Source.builder().directory(dir).mysqlMetaDsn(dsn).build()) {
            assertEveryLiveRowAndNothingElse(source);
            assertThat(source.describe()).doesNotContain(mysql.password);
        }
    }

    @Test
    void wrongPasswordFailsWithoutQuotingIt() {
        String wrong = "Wr0ng-" + mysql.password;
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).mysqlMeta(url, mysql.user, wrong).build())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_IO))
                .hasMessageContaining(database).hasMessageNotContaining(wrong)
                .hasMessageNotContaining(mysql.password);
        mysql.dropDatabase(database);
        assertThatThrownBy(() -> Milvus1Source.builder().directory(dir).mysqlMeta(url, mysql.user, mysql.password)
                .build()).isInstanceOf(MigrationException.class).hasMessageNotContaining(mysql.password);
    }

    @Test
    void exportedMetaJsonGivesTheSameRowsAndPartitions() {
        Path meta = dir.resolve("export/meta.json");
        Map<String, Long> written = Milvus1Source.builder().mysqlMeta(url, mysql.user, mysql.password)
                .tablesDirectory(fx.tables()).writeMetaJson(meta);
        assertThat(written).containsExactly(Map.entry("flt", 128L), Map.entry("ip", 32L), Map.entry("bin", 52L),
                Map.entry("tan", 11L));
        try (var source = Milvus1Source.builder().jsonMeta(meta).tablesDirectory(fx.tables()).build()) {
            assertEveryLiveRowAndNothingElse(source);
        }
    }

    @Test
    void mariadbCatalogueIntoTheRealMilvus() {
        String uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start the test Milvus with "
                    + "scripts/milvus-server.sh start and export its env (eval \"$(scripts/milvus-server.sh env)\")");
        }
        String p = "m1mysql_" + ProcessHandle.current().pid() + "_";
        var client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        try (var source = Milvus1Source.builder().directory(dir).mysqlMeta(url, mysql.user, mysql.password)
                .collections("flt", "bin").build();
             var target = MilvusTarget.builder().uri(uri).createIndex("AUTOINDEX").loadCollection(true)
                     .bulkImport(false).build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .transform(new Transform() {   // a prefix per run, so runs never meet in Milvus
                        @Override
                        public CollectionSchema apply(CollectionSchema schema) {
                            return schema.withName(p + schema.name());
                        }

                        @Override
                        public Batch apply(Batch batch) {
                            return batch;
                        }
                    })
                    .parallelism(2).batchBytes(1 << 10).build().run();
            long expected = fx.expectedRows("flt").size() + fx.expectedRows("bin").size();
            assertThat(report.rowsLoaded()).isEqualTo(expected);
            for (String c : List.of("flt", "bin")) {
                fx.expected.get(c).forEach((partition, rows) -> assertThat(ids(client, p + c,
                        partition.isEmpty() ? "_default" : partition)).as("%s/%s", c, partition)
                        .containsExactlyInAnyOrderElementsOf(rows.keySet()));
            }
        } finally {
            for (String c : List.of("flt", "bin")) {
                client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(p + c).build());
            }
            client.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Long> ids(MilvusServiceClient client, String collection, String partition) {
        R<io.milvus.grpc.QueryResults> r = client.query(QueryParam.newBuilder().withCollectionName(collection)
                .withPartitionNames(List.of(partition)).withExpr("id >= 0").withOutFields(List.of("id"))
                .withLimit(16384L).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException("query of " + collection + " failed: " + r.getMessage());
        }
        return (List<Long>) new QueryResultsWrapper(r.getData()).getFieldWrapper("id").getFieldData();
    }
}
