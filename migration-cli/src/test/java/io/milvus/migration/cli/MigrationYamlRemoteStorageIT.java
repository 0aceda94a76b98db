package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.Migration;
import io.milvus.migration.Migration.Verb;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.ProgressListener;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.storage.AzureBlobStorage;
import io.milvus.migration.storage.GcsStorage;
import io.milvus.migration.storage.S3Storage;
import io.milvus.migration.yaml.MigrationYaml;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Faiss file in each kind of object store, read through the storage module that claims the config's remote
 * section (S3Proxy, Azurite, fake-gcs-server from scripts/), in the Go layout ({@code source.remote}) and in the
 * Faiss plug-in's own section ({@code source.faiss.remote}). Fails (never skips) without the peers' env.
 */
class MigrationYamlRemoteStorageIT {
    private static final String FIXTURE = "flat_l2";   // 1000 rows, dim 37
    private static final String BUCKET = "yamlplugins-it";

    @TempDir
    Path dir;

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start the storage peers (scripts/s3-server.sh,"
                    + " azurite.sh, gcs-server.sh) and export their env");
        }
        return v;
    }

    private static String hostPort(String url) {
        URI u = URI.create(url);
        return u.getHost() + ":" + u.getPort() + (u.getPath() == null ? "" : u.getPath().replaceAll("/+$", ""));
    }

    /** Dumps the fixture from {@code remote} (the remote keys), in the Go layout or the plug-in's own section. */
    private MigrationReport dump(Map<String, Object> remote, String key, boolean ownSection, String name)
            throws Exception {
        Path at = Files.createDirectories(dir.resolve(name));
        YamlConfig config = YamlConfig.faiss(FIXTURE, at.resolve("out")).remove("source.local");
        if (ownSection) {
            config.remove("source.mode").remove("target.create.collection.dim")
                    .remove("target.create.collection.metricType").set("source.faiss.file", key);
            remote.forEach((k, v) -> config.set("source.faiss.remote." + k, v));
        } else {
            config.set("source.mode", "remote").set("source.remote.faissFile", "/" + key);
            remote.forEach((k, v) -> config.set("source.remote." + k, v));
        }
        try (MigrationYaml yaml = MigrationYaml.load(config.write(at), Verb.DUMP)) {
            Migration m = yaml.migration(ProgressListener.NONE);
            assertThat(m.source().orElseThrow().collections().get(0).schema().fields().get(1).dimension())
                    .isEqualTo(37);
            return m.dump();
        }
    }

    private void dumpsEveryRow(Storage store, Map<String, Object> remote, String name) throws Exception {
        String key = "yamlplugins/" + ProcessHandle.current().pid() + "/" + name + "/flat_l2.index";
        store.upload(key, FaissFixtures.index(FIXTURE));
        try {
            for (boolean own : new boolean[] {false, true}) {
                MigrationReport r = dump(remote, key, own, name + (own ? "-own" : "-go"));
                assertThat(r.rowsRead()).as(name + (own ? " own section" : " Go layout")).isEqualTo(1000);
                assertThat(r.stagedFiles()).isNotEmpty();
            }
        } finally {
            store.deletePrefix("yamlplugins/" + ProcessHandle.current().pid() + "/" + name + "/");
        }
    }

    @Test
    void s3() throws Exception {
        try (S3Storage s3 = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(env("S3_ENDPOINT"))
                .bucket(env("S3_BUCKET")).credentials(env("S3_ACCESS_KEY"), env("S3_SECRET_KEY")).build()) {
            dumpsEveryRow(s3, Map.of("cloud", "minio", "endpoint", hostPort(env("S3_ENDPOINT")), "useSSL", false,
                    "bucket", env("S3_BUCKET"), "ak", env("S3_ACCESS_KEY"), "sk", env("S3_SECRET_KEY"),
                    "region", "us-east-1"), "s3");
        }
    }

    @Test
    void azure() throws Exception {
        String cs = env("AZURE_CONNECTION_STRING");
        try (AzureBlobStorage blob = AzureBlobStorage.builder().connectionString(cs).container(BUCKET)
                .createContainer(true).build()) {
            dumpsEveryRow(blob, Map.of("cloud", "azure", "endpoint", hostPort(env("AZURE_BLOB_ENDPOINT")),
                    "useSSL", false, "bucket", BUCKET, "ak", part(cs, "AccountName"), "sk", part(cs, "AccountKey")),
                    "azure");
        }
    }

    @Test
    void gcs() throws Exception {
        try (GcsStorage gcs = GcsStorage.builder().emulatorHost(env("GCS_EMULATOR_HOST")).bucket(BUCKET)
                .createBucket(true).build()) {
            dumpsEveryRow(gcs, Map.of("cloud", "gcp", "endpoint", hostPort(env("GCS_EMULATOR_HOST")), "useSSL", false,
                    "bucket", BUCKET), "gcs");
        }
    }

    private static String part(String connectionString, String name) {
        Matcher m = Pattern.compile("(?:^|;)" + name + "=([^;]+)").matcher(connectionString);
        if (!m.find()) {
            throw new IllegalStateException("AZURE_CONNECTION_STRING has no " + name);
        }
        return m.group(1);
    }
}
