package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * An in-memory source for tests: one collection {@code items} with fields {@code id} (INT64), {@code vector}
 * (FLOAT_VECTOR) and optionally {@code extra} (INT64, id + 1), cut into splits of given row counts. Ids are
 * scattered over the whole long range (negative ones included); vector floats have random bits (any finite value,
 * subnormals and -0.0 included).
 */
final class MemorySource implements Source {
    final int dimension;
    private final boolean extraField;
    private final List<MemorySplit> splits = new ArrayList<>();
    /** Id to vector of every row, in split order. */
    final Map<Long, float[]> rows = new LinkedHashMap<>();
    private String failingSplit;
    private RuntimeException failure;
    private long failAfterRows;
    /** Readers opened so far. */
    final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

    record MemorySplit(String id, long[] ids, float[] vectors, String partition) implements Split {
        @Override
        public long estimatedRows() {
            return ids.length;
        }
    }

    MemorySource(int dimension, boolean extraField, int... splitRows) {
        this.dimension = dimension;
        this.extraField = extraField;
        var random = new Random(42);
        long row = 0;
        for (int s = 0; s < splitRows.length; s++) {
            long[] ids = new long[splitRows[s]];
            float[] vectors = new float[splitRows[s] * dimension];
            for (int i = 0; i < ids.length; i++, row++) {
                ids[i] = (row + 1) * 0x9E3779B97F4A7C15L;
                for (int j = 0; j < dimension; j++) {
                    float f;
                    do {
                        f = Float.intBitsToFloat(random.nextInt());
                    } while (!Float.isFinite(f));
                    vectors[i * dimension + j] = f;
                }
                rows.put(ids[i], java.util.Arrays.copyOfRange(vectors, i * dimension, (i + 1) * dimension));
            }
            splits.add(new MemorySplit("split-" + s, ids, vectors, ""));
        }
    }

    MemorySource(int dimension, int... splitRows) {
        this(dimension, false, splitRows);
    }

    /** Makes the reader of {@code splitId} throw {@code failure} once it has returned {@code afterRows} rows. */
    MemorySource failing(String splitId, long afterRows, RuntimeException failure) {
        this.failingSplit = splitId;
        this.failAfterRows = afterRows;
        this.failure = failure;
        return this;
    }

    /** Puts split i into partition {@code names[i % names.length]}. */
    MemorySource inPartitions(String... names) {
        for (int i = 0; i < splits.size(); i++) {
            MemorySplit s = splits.get(i);
            splits.set(i, new MemorySplit(s.id(), s.ids(), s.vectors(), names[i % names.length]));
        }
        return this;
    }

    /** Ids of the rows of the splits in {@code partition}. */
    java.util.Set<Long> idsIn(String partition) {
        var ids = new java.util.HashSet<Long>();
        splits.stream().filter(s -> s.partition().equals(partition))
                .forEach(s -> java.util.Arrays.stream(s.ids()).forEach(ids::add));
        return ids;
    }

    /** Sets one float of the first row to {@code value} (rows map included). */
    MemorySource withFirstFloat(float value) {
        MemorySplit first = splits.get(0);
        first.vectors()[0] = value;
        rows.get(first.ids()[0])[0] = value;
        return this;
    }

    long rowCount() {
        return rows.size();
    }

    CollectionSchema schema() {
        var fields = new ArrayList<FieldSchema>();
        fields.add(FieldSchema.int64Key("id"));
        fields.add(FieldSchema.floatVector("vector", dimension, MetricType.L2));
        if (extraField) {
            fields.add(FieldSchema.builder("extra", io.milvus.migration.spi.DataType.INT64).build());
        }
        return CollectionSchema.builder("items").description("test rows").fields(fields).build();
    }

    @Override
    public String describe() {
        return "memory:items";
    }

    @Override
    public List<SourceCollection> collections() {
        return List.of(new SourceCollection(schema(), rowCount()));
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        return List.copyOf(splits);
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    /** Continues after the position's cursor, a row offset. */
    @Override
    public SplitReader open(Split split, Position from) {
        MemorySplit s = (MemorySplit) split;
        opened.incrementAndGet();
        int start = (int) from.cursorAsLong();
        return new SplitReader() {
            private int done = start;

            @Override
            public Optional<Batch> next(int maxRows) {
                if (s.id().equals(failingSplit) && done >= failAfterRows) {
                    throw failure;
                }
                int n = Math.min(maxRows, s.ids().length - done);
                if (n <= 0) {
                    return Optional.empty();
                }
                var columns = new LinkedHashMap<String, Column>();
                long[] ids = java.util.Arrays.copyOfRange(s.ids(), done, done + n);
                columns.put("id", new Column.Longs(ids));
                columns.put("vector", new Column.FloatVectors(dimension,
                        java.util.Arrays.copyOfRange(s.vectors(), done * dimension, (done + n) * dimension)));
                if (extraField) {
                    columns.put("extra", new Column.Longs(java.util.Arrays.stream(ids).map(x -> x + 1).toArray()));
                }
                done += n;
                return Optional.of(new Batch(new Position(s.id(), done), columns));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }

    static MigrationException formatError(String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, what);
    }
}
