package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.qdrant.QdrantSpecStub;
import io.milvus.migration.qdrant.StubFixtures;
import io.milvus.migration.yaml.MigrationYaml;
import org.junit.jupiter.api.Test;

/** {@code workMode: qdrant} and its {@code source.qdrant} section reach the Qdrant plug-in on the class path. */
class MigrationYamlQdrantTest {
    private static String config(String section) {
        return """
                dumper:
                  worker:
                    workMode: qdrant
                source:
                  qdrant:
                %s
                target:
                  mode: local
                  local:
                    outputDir: /tmp/out
                  milvus2x:
                    endpoint: 127.0.0.1:19530
                """.formatted(section.indent(4).stripTrailing());
    }

    @Test
    void theSectionMakesAQdrantSourceThatReadsTheServer() throws Exception {
        // QdrantSpecStub: a spec-following stub of Qdrant's gRPC API (no Qdrant server can run here)
        try (var stub = new QdrantSpecStub("s3cret-key")) {
            StubFixtures.plain(stub, "docs", 5, true);
            String yaml = config("host: 127.0.0.1\nport: " + stub.port() + "\napiKey: s3cret-key\nuseTls: false\n"
                    + "collections: [docs]\npageSize: 64\npartPoints: 2");
            try (MigrationYaml parsed = MigrationYaml.parse(yaml, "qdrant.yaml", Migration.Verb.RUN)) {
                var source = parsed.migration(ProgressListener.NONE).source().orElseThrow();
                assertThat(source.describe()).isEqualTo("qdrant:http://127.0.0.1:" + stub.port());
                assertThat(source.toString()).doesNotContain("s3cret-key");
                var c = source.collections().get(0);
                assertThat(c.schema().primaryKey().name()).isEqualTo("id");
                assertThat(c.estimatedRows()).isEqualTo(5);
                assertThat(source.splits(c)).hasSize(3);
            }
        }
    }

    @Test
    void badSettingsAreNamedAndTheKeyIsNeverShown() {
        assertThatThrownBy(() -> MigrationYaml.check(config("host: h\nport: 0\napiKey: s3cret-key"), "qdrant.yaml",
                Migration.Verb.RUN)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("source.qdrant.port").hasMessageNotContaining("s3cret-key")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> MigrationYaml.check(config("host: h\napiKey: [s3cret-key]"), "qdrant.yaml",
                Migration.Verb.RUN)).hasMessageContaining("source.qdrant.apiKey")
                .hasMessageNotContaining("s3cret-key");
        assertThatThrownBy(() -> MigrationYaml.check(config("host: h\nbogus: 1"), "qdrant.yaml",
                Migration.Verb.RUN)).hasMessageContaining("key 'source.qdrant.bogus' is not a known setting");
    }
}
