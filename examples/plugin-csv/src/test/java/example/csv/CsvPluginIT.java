package example.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.QueryResultsWrapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plug-in as a user runs it: its jar alone in a plug-in folder, the CLI's runnable jar
 * ({@code MIGRATION_CLI_JAR}, which does not hold the plug-in) started with {@code --plugins}, a migration.yaml
 * naming {@code workMode: csv}, a {@code source.csv} section and a {@code transforms:} list with the plug-in's
 * {@code uppercase} and the built-in {@code filterRows}; then every row is read back from the real Milvus of
 * scripts/milvus-server.sh ({@code MILVUS_URI}). Missing settings fail the test: it never skips.
 */
class CsvPluginIT {
    private static final int DIM = 8;
    private static final int ROWS = 600;

    @TempDir
    Path dir;

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run scripts/plugin-test.sh (it starts nothing:"
                    + " eval \"$(scripts/milvus-server.sh env)\" first)");
        }
        return v;
    }

    private static float component(int id, int j) {
        return (float) Math.sin(id * 0.37 + j) * 10;
    }

    /** Two files; titles mix cases and quoting; years 1990 to 2019. */
    private void writeCsv(Path data) throws Exception {
        Files.createDirectories(data);
        for (int part = 0; part < 2; part++) {
            var b = new StringBuilder("id,vector:FLOAT_VECTOR(" + DIM + "),title:VARCHAR(64),year:INT16,score:DOUBLE,"
                    + "ok:BOOL\n");
            for (int id = part * ROWS / 2; id < (part + 1) * ROWS / 2; id++) {
                var v = new StringBuilder();
                for (int j = 0; j < DIM; j++) {
                    v.append(j == 0 ? "" : ", ").append(component(id, j));
                }
                b.append(id).append(",\"[").append(v).append("]\",").append(title(id, true)).append(',')
                        .append(year(id)).append(',').append(id / 8.0).append(',').append(id % 3 == 0).append('\n');
            }
            Files.writeString(data.resolve("part-" + part + ".csv"), b, StandardCharsets.UTF_8);
        }
    }

    private static String title(int id, boolean quoted) {
        String t = id % 4 == 0 ? "Doc, \"" + id + "\"" : "doc straße " + id;
        return quoted ? "\"" + t.replace("\"", "\"\"") + "\"" : t;
    }

    private static int year(int id) {
        return 1990 + id % 30;
    }

    private Path config(Path data, String collection) throws Exception {
        Path yaml = dir.resolve("migration.yaml");
        Files.writeString(yaml, """
                dumper:
                  worker:
                    workMode: csv
                    limit: 2
                    reader: {bufferSize: 8}
                source:
                  csv:
                    files: [%s]
                    collection: %s
                    splitBytes: 16384
                target:
                  mode: local
                  local:
                    outputDir: %s
                  milvus2x:
                    endpoint: %s
                transforms:
                  - {name: uppercase, field: title}
                  - {name: filterRows, field: year, min: 2000}
                """.formatted(data, collection, dir.resolve("staging"), env("MILVUS_URI")));
        return yaml;
    }

    /** Runs the CLI jar in its own JVM; returns its exit status, its output in {@code out}. */
    private int cli(List<String> args, StringBuilder out) throws Exception {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", env("MIGRATION_CLI_JAR")));
        command.addAll(args);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish");
        out.append(new String(output, StandardCharsets.UTF_8));
        return p.exitValue();
    }

    @Test
    void theCliMigratesWithThePluginFromAPluginFolder() throws Exception {
        Path data = dir.resolve("data");
        writeCsv(data);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("plugin.jar")), plugins.resolve("migration-plugin-csv.jar"));
        String collection = "plugins_csv_" + ProcessHandle.current().pid();
        Path yaml = config(data, collection);

        // without the folder the CLI knows no csv source: the plug-in is not on its class path
        var refused = new StringBuilder();
        assertEquals(2, cli(List.of("start", "-c", yaml.toString()), refused), refused::toString);
        assertTrue(refused.toString().contains("workMode' must be one of"), refused::toString);

        MilvusServiceClient milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(env("MILVUS_URI"))
                .build());
        try {
            var out = new StringBuilder();
            int exit = cli(List.of("start", "-c", yaml.toString(), "--plugins", plugins.toString(), "--verbose"), out);
            assertEquals(0, exit, out::toString);
            Map<Long, Integer> kept = new LinkedHashMap<>();
            for (int id = 0; id < ROWS; id++) {
                if (year(id) >= 2000) {
                    kept.put((long) id, id);
                }
            }
            // rows read count after the transforms: the filter kept those of 2000 and later
            assertTrue(out.toString().contains("start finished: " + kept.size() + " rows read, " + kept.size()
                    + " rows loaded"), out::toString);
            assertEveryRow(milvus, collection, kept);
        } finally {
            milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
            milvus.close();
        }
    }

    @Test
    void theRestServerRunsAJobWithThePluginFromAPluginFolder() throws Exception {
        Path data = dir.resolve("data");
        writeCsv(data);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("plugin.jar")), plugins.resolve("migration-plugin-csv.jar"));
        String collection = "plugins_csv_rest_" + ProcessHandle.current().pid();
        String yaml = Files.readString(config(data, collection));

        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", env("MIGRATION_CLI_JAR"), "serve", "--port", "0", "--allow-loopback-without-token",
                "--plugins", plugins.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        MilvusServiceClient milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(env("MILVUS_URI"))
                .build());
        try {
            String url = null;
            for (int i = 0; i < 600 && url == null && server.isAlive(); i++) {
                var m = java.util.regex.Pattern.compile("listening on (http://\\S+)")
                        .matcher(Files.readString(dir.resolve("server.log")));
                url = m.find() ? m.group(1) : null;
                if (url == null) {
                    Thread.sleep(100);
                }
            }
            assertTrue(url != null, () -> "the server did not start: " + log());
            var http = java.net.http.HttpClient.newHttpClient();
            var submitted = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url
                    + "/api/v2/jobs?verb=run")).header("Content-Type", "application/yaml")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(yaml)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(201, submitted.statusCode(), submitted::body);
            var id = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(submitted.body());
            assertTrue(id.find(), submitted::body);
            String state = "";
            String body = "";
            for (int i = 0; i < 240 && !state.matches("SUCCEEDED|FAILED|CANCELLED|INTERRUPTED"); i++) {
                Thread.sleep(500);
                body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/api/v2/jobs/"
                        + id.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                var m = java.util.regex.Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
                state = m.find() ? m.group(1) : "";
            }
            assertEquals("SUCCEEDED", state, body);
            Map<Long, Integer> kept = new LinkedHashMap<>();
            for (int i = 0; i < ROWS; i++) {
                if (year(i) >= 2000) {
                    kept.put((long) i, i);
                }
            }
            assertEveryRow(milvus, collection, kept);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
            milvus.close();
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertEveryRow(MilvusServiceClient milvus, String collection, Map<Long, Integer> kept) {
        R<io.milvus.grpc.QueryResults> r = milvus.query(QueryParam.newBuilder().withCollectionName(collection)
                .withExpr("id >= 0").withOutFields(List.of("id", "vector", "title", "year", "score", "ok"))
                .withLimit(16_384L).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        assertEquals(R.Status.Success.getCode(), r.getStatus(), r::getMessage);
        var w = new QueryResultsWrapper(r.getData());
        List<Long> ids = (List<Long>) w.getFieldWrapper("id").getFieldData();
        List<List<Float>> vectors = (List<List<Float>>) w.getFieldWrapper("vector").getFieldData();
        List<String> titles = (List<String>) w.getFieldWrapper("title").getFieldData();
        List<?> years = w.getFieldWrapper("year").getFieldData();
        List<Double> scores = (List<Double>) w.getFieldWrapper("score").getFieldData();
        List<Boolean> oks = (List<Boolean>) w.getFieldWrapper("ok").getFieldData();
        assertEquals(kept.size(), ids.size(), "rows in " + collection);
        var seen = new java.util.HashSet<Long>();
        for (int i = 0; i < ids.size(); i++) {
            long idL = ids.get(i);
            assertTrue(kept.containsKey(idL) && seen.add(idL), "unexpected or repeated id " + idL);
            int id = (int) idL;
            float[] want = new float[DIM];
            float[] have = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                want[j] = Float.parseFloat(Float.toString(component(id, j)));
                have[j] = vectors.get(i).get(j);
            }
            assertArrayEquals(want, have, "vector of id " + id);
            assertEquals(title(id, false).toUpperCase(Locale.ROOT), titles.get(i), "title of id " + id);
            assertEquals(year(id), ((Number) years.get(i)).intValue(), "year of id " + id);
            assertEquals(id / 8.0, scores.get(i), "score of id " + id);
            assertEquals(id % 3 == 0, oks.get(i), "ok of id " + id);
        }
        assertEquals(kept.keySet(), seen, "ids in " + collection);
    }
}
