package io.milvus.migration.bench;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Rows per second of writing bulk files in each format, for the same rows made in memory.
 *
 * <p>{@code FormatBench OUT_DIR [ROWS] [ROUNDS]} (defaults 200000 and 3): rows of an Int64 key, a 128-dimensional
 * float vector, an Int32, a VarChar of about 24 characters and a small JSON document are dumped with
 * {@code Migration.dump()} into OUT_DIR, as NumPy, Parquet and row JSON in turn, each round after one untimed warm-up
 * dump; the best and median rows/s of each format are printed. Reading is from arrays already in memory, so the
 * figures are the writers' own.
 */
public final class FormatBench {
    private FormatBench() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        var schema = CollectionSchema.builder("bench")
                .field(FieldSchema.int64Key("id"))
                .field(FieldSchema.floatVector("vector", 128, MetricType.L2))
                .field(FieldSchema.builder("n", DataType.INT32).build())
                .field(FieldSchema.builder("title", DataType.VARCHAR).maxLength(64).build())
                .field(FieldSchema.builder("meta", DataType.JSON).build())
                .build();
        for (BulkFormat format : List.of(BulkFormat.NUMPY, BulkFormat.PARQUET, BulkFormat.JSON)) {
            dump(schema, rows, format, out);   // warm-up
            double[] rates = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                MigrationReport r = dump(schema, rows, format, out);
                rates[i] = r.rowsRead() / ((System.nanoTime() - t0) / 1e9);
            }
            java.util.Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%-8s %,d rows: best %,.0f rows/s, median %,.0f rows/s%n", format, rows,
                    rates[rounds - 1], rates[rounds / 2]);
        }
    }

    private static MigrationReport dump(CollectionSchema schema, int rows, BulkFormat format, Path out)
            throws IOException {
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.walk(out)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(out);
        return Migration.builder().source(new MemoryRows(schema, rows)).staging(LocalStorage.at(out))
                .bulkFormat(format).parallelism(1).build().dump();
    }

    /** Rows made once into arrays, handed out in batches of 4096 (slices: views, no copies). */
    private static final class MemoryRows implements Source {
        private final CollectionSchema schema;
        private final int rows;
        private final Batch all;

        MemoryRows(CollectionSchema schema, int rows) {
            this.schema = schema;
            this.rows = rows;
            var rnd = new Random(7);
            long[] ids = new long[rows];
            float[] vectors = new float[rows * 128];
            int[] n = new int[rows];
            String[] titles = new String[rows];
            String[] meta = new String[rows];
            for (int i = 0; i < rows; i++) {
                ids[i] = i;
                n[i] = rnd.nextInt();
                titles[i] = "title number " + i + " of the bench";
                meta[i] = "{\"k\":" + i + ",\"tag\":\"t" + (i % 13) + "\"}";
            }
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = rnd.nextFloat();
            }
            var columns = new LinkedHashMap<String, Column>();
            columns.put("id", new Column.Longs(ids));
            columns.put("vector", new Column.FloatVectors(128, vectors));
            columns.put("n", new Column.Ints(n));
            columns.put("title", new Column.Strings(titles));
            columns.put("meta", new Column.Strings(meta));
            all = new Batch(new Position("all", rows), columns);
        }

        @Override
        public String describe() {
            return "memory rows";
        }

        @Override
        public List<SourceCollection> collections() {
            return List.of(new SourceCollection(schema, rows));
        }

        @Override
        public List<Split> splits(SourceCollection collection) {
            return List.of(new Whole(rows));
        }

        record Whole(long estimatedRows) implements Split {
            @Override
            public String id() {
                return "all";
            }
        }

        @Override
        public SplitReader open(Split split) {
            return new SplitReader() {
                int next;

                @Override
                public Optional<Batch> next(int maxRows) {
                    if (next >= rows) {
                        return Optional.empty();
                    }
                    int to = Math.min(rows, next + 4096);
                    var cols = new LinkedHashMap<String, Column>();
                    int from = next;
                    all.columns().forEach((k, c) -> cols.put(k, c.slice(from, to)));
                    next = to;
                    return Optional.of(new Batch(new Position("all", to), cols));
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
