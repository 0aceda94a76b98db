package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration.Verb;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.es.EsFixture;
import io.milvus.migration.yaml.MigrationYaml;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DescribeCollectionParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.DescCollResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Go tool's Elasticsearch {@code migration.yaml} (meta.fields listed by hand) and this library's shorter form
 * (the mapping read automatically) run against the real Elasticsearch 8.19 ({@code ES8_URL}) and Milvus
 * ({@code MILVUS_URI}). Fails, never skips, when either is absent.
 */
class MigrationYamlEsIT {
    private static final String SECRET = "es-yaml-s3cr3t";
    private static MilvusServiceClient client;
    private static String milvus;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        milvus = System.getenv("MILVUS_URI");
        if (milvus == null || milvus.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: eval \"$(scripts/milvus-server.sh env)\"");
        }
        client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(milvus).build());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private static void index(EsFixture es, String index) {
        es.create(index, """
                {"dynamic":false,"properties":{"id":{"type":"long"},
                 "data":{"type":"dense_vector","dims":4,"similarity":"max_inner_product"},
                 "other_field":{"type":"keyword"}}}""", 2);
        es.bulk(index, 500, i -> Map.of("_id", "e" + i, "id", 10_000 + i, "data", List.of(i, 1, 0.5, -1),
                "other_field", "o" + i, "score", i * 0.5));
    }

    private String yaml(EsFixture es, String meta) {
        return """
                dumper:
                  worker:
                    workMode: elasticsearch
                    limit: 3
                    reader:
                      bufferSize: 120
                %s
                source:
                  es:
                    urls:
                      - %s
                    username: elastic
                    password: %s
                target:
                  mode: local
                  local:
                    outputDir: %s
                  milvus2x:
                    endpoint: %s
                """.formatted(meta, es.url, SECRET, dir.resolve("out"), milvus.replaceFirst("^http://", ""));
    }

    @Test
    void theGoToolsFileWithItsFieldsListedMigrates() throws Exception {
        EsFixture es = EsFixture.of("es8");
        String index = "yaml_go_" + ProcessHandle.current().pid();
        String collection = "renamed_" + ProcessHandle.current().pid();
        index(es, index);
        Path file = dir.resolve("migration.yaml");
        Files.writeString(file, yaml(es, """
                meta:
                  mode: config
                  version: 8.19.0
                  index: %s
                  fields:
                    - name: id
                      type: long
                      pk: true
                    - name: data
                      type: dense_vector
                      dims: 4
                    - name: other_field
                      type: keyword
                      maxLen: 60
                  milvus:
                    collection: %s
                    closeDynamicField: false
                    shardNum: 2
                    consistencyLevel: Customized""".formatted(index, collection)));
        try (MigrationYaml y = MigrationYaml.load(file, Verb.RUN)) {
            MigrationReport report = y.migration(ProgressListener.NONE).run();
            assertThat(report.rowsRead()).isEqualTo(500);
            assertThat(report.rowsLoaded()).isEqualTo(500);
            assertThat(report.collections()).containsExactly(collection);
            var desc = new DescCollResponseWrapper(client.describeCollection(DescribeCollectionParam.newBuilder()
                    .withCollectionName(collection).build()).getData());
            assertThat(desc.getPrimaryField().getName()).isEqualTo("id");
            assertThat(desc.getShardNumber()).isEqualTo(2);
            assertThat(desc.getFieldByName("data").getDimension()).isEqualTo(4);
            var rows = rows(collection, "id >= 0");
            assertThat(rows).hasSize(500);
            assertThat(rows.get(10_007L)).containsEntry("other_field", "o7")
                    .containsEntry("data", List.of(7f, 1f, 0.5f, -1f))
                    .containsEntry("score", 3.5);   // not listed: in the dynamic field
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
            es.delete(index);
        }
    }

    @Test
    void withoutFieldsTheMappingIsTheSchema() throws Exception {
        EsFixture es = EsFixture.of("es8");
        String index = "yaml_mapping_" + ProcessHandle.current().pid();
        index(es, index);
        Path file = dir.resolve("migration.yaml");
        Files.writeString(file, yaml(es, """
                meta:
                  index: %s
                  slices: 2
                  query: '{"range":{"id":{"lt":10100}}}'""".formatted(index)));
        try (MigrationYaml y = MigrationYaml.load(file, Verb.RUN)) {
            MigrationReport report = y.migration(ProgressListener.NONE).run();
            assertThat(report.rowsLoaded()).isEqualTo(100);
            var rows = rows(index, "id >= 0");
            assertThat(rows).hasSize(100);
            assertThat(rows.get(10_042L)).containsEntry("_id", "e42").containsEntry("other_field", "o42")
                    .containsEntry("score", 21.0);   // not in the mapping: in the dynamic field
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(index).build());
            es.delete(index);
        }
    }

    @Test
    void badSettingsNameTheKeyAndNeverThePassword() throws Exception {
        EsFixture es = EsFixture.of("es8");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml(es, """
                meta:
                  index: x
                  fields:
                    - name: v
                      type: dense_vector""").replace("password: " + SECRET, "password: " + SECRET + "\n    colour: red"));
        assertThatThrownBy(() -> MigrationYaml.load(file, Verb.RUN).close())
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("dims").hasMessageNotContaining(SECRET);
        String index = "yaml_bad_" + ProcessHandle.current().pid();
        index(es, index);
        Files.writeString(file, yaml(es, "meta:\n  index: " + index).replace("password: " + SECRET,
                "password: " + SECRET + "\n    colour: red"));
        try {
            assertThatThrownBy(() -> MigrationYaml.load(file, Verb.RUN).close()).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("colour").hasMessageNotContaining(SECRET);
        } finally {
            es.delete(index);
        }
    }

    private static Map<Object, Map<String, Object>> rows(String collection, String expr) {
        var r = client.query(QueryParam.newBuilder().withCollectionName(collection).withExpr(expr)
                .withOutFields(List.of("*")).withLimit(16384L).withConsistencyLevel(ConsistencyLevelEnum.STRONG)
                .build());
        assertThat(r.getStatus()).as("query of %s: %s", collection, r.getException()).isZero();
        var out = new HashMap<Object, Map<String, Object>>();
        for (var rec : new QueryResultsWrapper(r.getData()).getRowRecords()) {
            out.put(rec.getFieldValues().get("id"), rec.getFieldValues());
        }
        return out;
    }
}
