package io.milvus.migration.bench;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.es.EsConnection;
import io.milvus.migration.es.EsSource;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Elasticsearch 8.19 → Milvus: an index of N documents × DIM float vectors + 3 scalar fields (keyword, long, date),
 * indexed once and kept; then rows/s of the source alone (every slice read on its own thread) and of a whole
 * migration by bulk import, with 1 and 4 slices.
 *
 * <p>Arguments: Elasticsearch URL, Milvus URI, staging directory (Milvus's import root), documents, dimension, and
 * optionally {@code load-only} (skip the source-alone figures).
 */
public final class EsBench {
    private EsBench() {
    }

    public static void main(String[] args) throws Exception {
        String es = args[0];
        String milvus = args[1];
        Path staging = Path.of(args[2]).toAbsolutePath();
        int docs = Integer.parseInt(args[3]);
        int dim = Integer.parseInt(args[4]);
        String index = "bench_es_" + docs + "x" + dim;
        ensureIndex(es, index, docs, dim);
        var conn = EsConnection.builder().url(es).build();
        boolean readAlone = args.length < 6 || !args[5].equals("load-only");
        for (int slices : readAlone ? new int[] {1, 4} : new int[0]) {
            try (EsSource source = EsSource.builder().connection(conn).index(index).slices(slices).pageSize(2000)
                    .build()) {
                long t0 = System.nanoTime();
                long rows = readAll(source, slices);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "es-bench: read  %d docs, %d slice(s): %7.2f s  %9.0f rows/s%n",
                        rows, slices, s, rows / s);
                if (rows != docs) {
                    throw new IllegalStateException("read " + rows + " of " + docs + " documents");
                }
            }
        }
        var client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(milvus).build());
        try {
            for (int slices : new int[] {1, 4}) {
                String collection = index + "_s" + slices;
                client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
                Path dir = Files.createTempDirectory(Files.createDirectories(staging), "es-bench");
                try (EsSource source = EsSource.builder().connection(conn).index(index).slices(slices).pageSize(2000)
                        .collectionName(index, collection).dynamicField(false).nullableFields(false).build();
                     var target = MilvusTarget.builder().uri(milvus).noIndex().loadCollection(false).build()) {
                    long t0 = System.nanoTime();
                    MigrationReport r = Migration.builder().source(source).target(target)
                            .staging(LocalStorage.at(dir)).bulkFormat(BulkFormat.JSON).parallelism(slices)
                            .build().run();
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "es-bench: into Milvus %d rows, %d slice(s): %7.2f s  %9.0f rows/s%n",
                            r.rowsLoaded(), slices, s, r.rowsLoaded() / s);
                } finally {
                    client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
                }
            }
        } finally {
            client.close();
        }
    }

    private static long readAll(Source source, int threads) throws Exception {
        var c = source.collections().get(0);
        List<Split> splits = source.splits(c);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            var futures = new ArrayList<Future<Long>>();
            for (Split split : splits) {
                futures.add(pool.submit(() -> {
                    long n = 0;
                    try (SplitReader r = source.open(split)) {
                        for (Optional<Batch> b = r.next(2000); b.isPresent(); b = r.next(2000)) {
                            n += b.get().rowCount();
                        }
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : futures) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String send(String method, String url, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                url.contains("_bulk") ? "application/x-ndjson" : "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300 && r.statusCode() != 404) {
            throw new IllegalStateException(method + " " + url + ": " + r.statusCode() + " "
                    + r.body().substring(0, Math.min(500, r.body().length())));
        }
        return r.body();
    }

    /** Indexes the documents unless an index of that name already holds them all (kept between runs). */
    private static void ensureIndex(String es, String index, int docs, int dim) throws Exception {
        String count = send("GET", es + "/" + index + "/_count", null);
        if (count.contains("\"count\":" + docs + ",")) {
            System.out.println("es-bench: index " + index + " already holds " + docs + " documents");
            return;
        }
        send("DELETE", es + "/" + index, null);
        // the vector is not indexed (no HNSW graph): the source reads _source, which an HNSW graph does not change
        send("PUT", es + "/" + index, "{\"settings\":{\"number_of_shards\":4,\"number_of_replicas\":0,"
                + "\"refresh_interval\":\"-1\"},\"mappings\":{\"properties\":{\"title\":{\"type\":\"keyword\"},"
                + "\"views\":{\"type\":\"long\"},\"day\":{\"type\":\"date\"},\"vec\":{\"type\":\"dense_vector\","
                + "\"dims\":" + dim + ",\"index\":false}}}}");
        var rnd = new Random(42);
        long t0 = System.nanoTime();
        var sb = new StringBuilder(16 << 20);
        for (int i = 0; i < docs; i++) {
            sb.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"title\":\"t").append(i % 10_000)
                    .append("\",\"views\":").append(i * 7L).append(",\"day\":").append(1_700_000_000_000L + i * 1000L)
                    .append(",\"vec\":[");
            for (int j = 0; j < dim; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(Math.round(rnd.nextFloat() * 1e4) / 1e4f);
            }
            sb.append("]}\n");
            if (sb.length() > 12 << 20 || i == docs - 1) {
                String r = send("POST", es + "/" + index + "/_bulk", sb.toString());
                if (r.startsWith("{\"errors\":true") || r.contains("\"errors\":true")) {
                    throw new IllegalStateException("bulk refused documents: " + r.substring(0, 500));
                }
                sb.setLength(0);
            }
        }
        send("POST", es + "/" + index + "/_refresh", null);
        send("POST", es + "/" + index + "/_forcemerge?max_num_segments=1", null);
        System.out.printf(Locale.ROOT, "es-bench: indexed %d documents x %d dims in %.1f s%n", docs, dim,
                (System.nanoTime() - t0) / 1e9);
    }
}
