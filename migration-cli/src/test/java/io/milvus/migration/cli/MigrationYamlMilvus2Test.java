package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.yaml.MigrationYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Go tool's milvus2x config, read without a server (nothing connects before a run). */
class MigrationYamlMilvus2Test {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            dumper:
              worker:
                workMode: milvus2x
                limit: 3
                reader:
                  bufferSize: 500
            meta:
              mode: config
              version: 2.3.0
              collection: src_coll
              milvus:
                collection: dst_coll
                shardNum: 2
                autoId: ""
            source:
              milvus2x:
                endpoint: old:19530
                username: root
                password: very-secret
                database: db1
                grpc:
                  maxCallRecvMsgSize: 67108864
                  maxCallSendMsgSize: 268435456
            target:
              milvus2x:
                endpoint: new:19530
                username: root
                password: very-secret
                writeMode: upsert
            """;

    private Path write(String text) throws Exception {
        Path p = dir.resolve("migration.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theGoToolsConfigNamesTheSourceCollectionAndItsTargetName() throws Exception {
        try (MigrationYaml yaml = MigrationYaml.load(write(CONFIG), Migration.Verb.RUN)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            assertThat(m.parallelism()).isEqualTo(3);
            assertThat(m.staging()).as("milvus2x without target.mode inserts, as the Go tool does").isEmpty();
            assertThat(m.target().orElseThrow().bulkImport()).isFalse();
            String source = m.source().orElseThrow().toString();
            assertThat(source).contains("uri=http://old:19530").contains("database=db1")
                    .contains("Pick[database=db1, name=src_coll, targetName=dst_coll]").doesNotContain("very-secret");
            assertThat(m.transforms()).hasSize(1); // shardNum
        }
    }

    @Test
    void tablesFromTheCommandLineReplaceTheConfigsCollections() throws Exception {
        String text = CONFIG.replace("""
                  milvus:
                    collection: dst_coll
                    shardNum: 2
                    autoId: ""
                """, "  collections: [a, {name: b, target: b2}]\n");
        try (MigrationYaml yaml = MigrationYaml.load(write(text), Migration.Verb.RUN)) {
            assertThat(yaml.migration(ProgressListener.NONE).source().orElseThrow().toString())
                    .contains("name=src_coll, targetName=src_coll").contains("name=a, targetName=a")
                    .contains("name=b, targetName=b2");
        }
        try (MigrationYaml yaml = MigrationYaml.load(write(text), Migration.Verb.RUN, List.of("x", "y"))) {
            assertThat(yaml.migration(ProgressListener.NONE).source().orElseThrow().toString())
                    .contains("name=x, targetName=x").contains("name=y, targetName=y").doesNotContain("name=a,");
        }
    }

    @Test
    void badValuesAreNamed() throws Exception {
        assertThatThrownBy(() -> MigrationYaml.load(write(CONFIG.replace("writeMode: upsert", "writeMode: merge")),
                Migration.Verb.RUN)).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
                    assertThat(e.getMessage()).contains("target.milvus2x.writeMode").contains("merge");
                });
        assertThatThrownBy(() -> MigrationYaml.load(write(CONFIG.replace("database: db1", "databse: db1")),
                Migration.Verb.RUN)).hasMessageContaining("source.milvus2x.databse").hasMessageNotContaining(
                "very-secret");
        assertThatThrownBy(() -> MigrationYaml.load(write(CONFIG.replace("workMode: milvus2x", "workMode: faiss")),
                Migration.Verb.RUN, List.of("t"))).hasMessageContaining("-t/--table");
    }

    @Test
    void theCommandLineTakesTheGoToolsTableFlags() throws Exception {
        Path config = dir.resolve("missing.yaml"); // options are parsed first: a usage error would exit 2
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        for (String flag : List.of("-t=nope", "--col=nope", "--table")) {
            var args = new java.util.ArrayList<>(List.of("start", "-c", config.toString(), "--log-file",
                    dir.resolve("cli.log").toString()));
            args.add(flag);
            if (flag.equals("--table")) {
                args.add("nope");
            }
            err.reset();
            MigrationCli.run(args.toArray(String[]::new), new java.io.PrintStream(out), new java.io.PrintStream(err),
                    false, dir);
            assertThat(err.toString()).as(flag).doesNotContain("unknown option").contains("does not exist");
        }
    }
}
