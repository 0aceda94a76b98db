package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.yaml.MigrationYaml;
import org.junit.jupiter.api.Test;

/** A source plug-in named by {@code workMode} gets its own section, bound to its settings type. */
class MigrationYamlPluginTest {
    private static String config(String section) {
        return """
                dumper:
                  worker:
                    workMode: csvlike
                source:
                  csvlike:
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
    void thePluginsSectionIsBoundToItsSettingsAndItsSourceUsed() {
        String yaml = config("path: /data/vectors.csv\ndimension: 8\npassword: hunter2");
        try (MigrationYaml parsed = MigrationYaml.parse(yaml, "plugin.yaml", Migration.Verb.RUN)) {
            Migration m = parsed.migration(ProgressListener.NONE);
            var source = m.source().orElseThrow();
            assertThat(source.describe()).isEqualTo("csvlike /data/vectors.csv");
            assertThat(source.collections().get(0).schema().field("vector").orElseThrow().dimension()).isEqualTo(8);
        }
    }

    @Test
    void unknownKeysWrongKindsAndTheValidationAreNamedWithoutValues() {
        assertThatThrownBy(() -> MigrationYaml.check(config("path: /p\ndimension: 8\nbogus: 1"), "plugin.yaml",
                Migration.Verb.RUN)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("plugin.yaml: key 'source.csvlike.bogus' is not a known setting");
        assertThatThrownBy(() -> MigrationYaml.check(config("path: /p\ndimension: [1, 2]\npassword: hunter2"),
                "plugin.yaml", Migration.Verb.RUN))
                .hasMessageContaining("key 'source.csvlike.dimension' has a value of the wrong kind")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> MigrationYaml.check(config("path: /p"), "plugin.yaml", Migration.Verb.RUN))
                .hasMessageContaining("source.csvlike.dimension' must be positive");
        assertThatThrownBy(() -> MigrationYaml.check(config("path: /p").replace("csvlike", "nosuch"),
                "plugin.yaml", Migration.Verb.RUN))
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("key 'dumper.worker.workMode' must be one of [faiss, milvus1x, milvus2x,"
                        + " elasticsearch] or the name of a source plug-in on the class path [")
                .hasMessageContaining("csvlike");
    }
}
