package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.yaml.MigrationYaml;
import org.junit.jupiter.api.Test;

/** {@code workMode: pinecone} is found on the CLI's class path (migration-pinecone) and its section checked. */
class MigrationYamlPineconeTest {
    private static String config(String section) {
        return """
                dumper:
                  worker:
                    workMode: pinecone
                source:
                  pinecone:
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
    void thePineconeSectionIsCheckedWithoutIoAndTheKeyNeverShown() {
        String ok = """
                apiKey: pcsk_yaml_secret_42
                index: docs
                namespaces: ["", books]
                controllerUrl: http://127.0.0.1:1
                useTls: false
                pageSize: 50
                metadataFields:
                  genre: string
                  year: number""";
        MigrationYaml.check(config(ok), "pinecone.yaml", Migration.Verb.RUN);   // nothing listens on port 1
        assertThatThrownBy(() -> MigrationYaml.check(config(ok + "\nbogus: 1"), "pinecone.yaml", Migration.Verb.RUN))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("key 'source.pinecone.bogus' is not a known setting")
                .hasMessageNotContaining("pcsk_yaml_secret_42");
        assertThatThrownBy(() -> MigrationYaml.check(config(ok.replace("pageSize: 50", "pageSize: 0")),
                "pinecone.yaml", Migration.Verb.RUN)).hasMessageContaining("source.pinecone.pageSize")
                .hasMessageNotContaining("pcsk_yaml_secret_42");
        assertThatThrownBy(() -> MigrationYaml.check(config(ok.replace("apiKey: pcsk_yaml_secret_42",
                "apiKey: [pcsk_yaml_secret_42]")), "pinecone.yaml", Migration.Verb.RUN))
                .hasMessageContaining("source.pinecone.apiKey").hasMessageNotContaining("pcsk_yaml_secret_42");
    }
}
