package io.milvus.migration.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * migration-yaml's own tests run with only the API, core, checkpoint and local-storage modules on the class path:
 * the old tool's work modes, the Milvus target and remote storage all come from plug-ins it does not carry.
 */
class MigrationYamlClassPathTest {
    private static final String TARGET = """
            target:
              mode: local
              local: {outputDir: /tmp/out}
              milvus2x: {endpoint: '127.0.0.1:19530', password: hunter2-secret}
            """;

    @Test
    void noVendorModuleIsOnTheClassPath() {
        for (String name : List.of("io.milvus.migration.faiss.FaissSourceFactory",
                "io.milvus.migration.milvus1.Milvus1SourceFactory", "io.milvus.migration.milvus2.MilvusTargetFactory",
                "io.milvus.migration.es.EsSourceFactory", "io.milvus.migration.storage.S3Storage",
                "io.milvus.migration.storage.GcsStorage", "io.milvus.migration.storage.AzureBlobStorage")) {
            assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void eachBuiltInWorkModeNamesTheModuleItNeeds() {
        for (String[] mode : new String[][] {{"faiss", "source: {local: {faissFile: /x.index}}", "migration-faiss"},
            {"milvus1x", "source: {local: {tablesDir: /t}}\nmeta: {mode: sqlite, sqliteFile: /m.sqlite}",
                "migration-milvus1"},
            {"milvus2x", "source: {milvus2x: {endpoint: 'h:1'}}\nmeta: {collection: c}", "migration-milvus2"},
            {"elasticsearch", "source: {es: {urls: ['http://h:1']}}\nmeta: {index: i}", "migration-es"}}) {
            String yaml = "dumper: {worker: {workMode: " + mode[0] + "}}\n" + mode[1] + "\n" + TARGET;
            assertThatThrownBy(() -> MigrationYaml.check(yaml, "m.yaml", Migration.Verb.DUMP))
                    .as(mode[0]).isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                    .hasMessageContaining("m.yaml: key 'dumper.worker.workMode' " + mode[0])
                    .hasMessageContaining("(module " + mode[2] + ")");
        }
    }

    @Test
    void theMilvusTargetNamesItsModule() {
        String yaml = "dumper: {worker: {workMode: faiss}}\n" + TARGET;
        assertThatThrownBy(() -> MigrationYaml.check(yaml, "m.yaml", Migration.Verb.LOAD))
                .hasMessageContaining("key 'target.milvus2x' needs the Milvus target plug-in 'milvus'"
                        + " (module migration-milvus2)").hasMessageNotContaining("hunter2-secret");
    }

    @Test
    void remoteStagingNamesTheCloudAndTheStorageModule() {
        String yaml = """
                dumper: {worker: {workMode: faiss}}
                target:
                  mode: remote
                  remote: {outputDir: out, cloud: azure, bucket: b, ak: acct, sk: hunter2-secret}
                """;
        for (boolean check : new boolean[] {true, false}) {
            // a check opens nothing, but still finds the module that would serve the storage
            assertThatThrownBy(() -> {
                if (check) {
                    MigrationYaml.check(yaml, "m.yaml", Migration.Verb.LOAD);
                } else {
                    MigrationYaml.parse(yaml, "m.yaml", Migration.Verb.LOAD).close();
                }
            }).hasMessageContaining("m.yaml: key 'target.remote.cloud' is azure, which no storage module on the"
                    + " class path serves").hasMessageContaining("add migration-storage-azure")
                    .hasMessageNotContaining("hunter2-secret");
        }
    }
}
