package io.milvus.migration.milvus1;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads every row of a source the way the engine does: split by split, batch by batch. */
final class SourceRows {
    private SourceRows() {
    }

    /** collection -> partition -> id -> vector bytes (float32 little-endian for float vectors). */
    static Map<String, Map<String, Map<Long, byte[]>>> readAll(Source source, int maxRows) {
        var out = new LinkedHashMap<String, Map<String, Map<Long, byte[]>>>();
        for (Source.SourceCollection c : source.collections()) {
            var byPartition = out.computeIfAbsent(c.schema().name(), k -> new LinkedHashMap<>());
            for (Split split : source.splits(c)) {
                var rows = byPartition.computeIfAbsent(split.partition(), k -> new LinkedHashMap<>());
                long read = 0;
                try (SplitReader r = source.open(split)) {
                    Optional<Batch> b;
                    while ((b = r.next(maxRows)).isPresent()) {
                        Batch batch = b.get();
                        if (batch.rowCount() < 1 || batch.rowCount() > maxRows) {
                            throw new AssertionError("batch of " + batch.rowCount() + " rows, max " + maxRows);
                        }
                        read += batch.rowCount();
                        if (batch.position().rowsRead() != read || !batch.position().splitId().equals(split.id())) {
                            throw new AssertionError("bad position " + batch.position() + " after " + read);
                        }
                        long[] ids = ((Column.Longs) batch.column("id")).values();
                        Column v = batch.column("vector");
                        for (int i = 0; i < ids.length; i++) {
                            if (rows.put(ids[i], vectorBytes(v, i)) != null) {
                                throw new AssertionError("id " + ids[i] + " read twice");
                            }
                        }
                    }
                }
                if (read != split.estimatedRows()) {
                    throw new AssertionError("split " + split.id() + " estimated " + split.estimatedRows()
                            + " rows, gave " + read);
                }
            }
        }
        return out;
    }

    static byte[] vectorBytes(Column v, int row) {
        if (v instanceof Column.FloatVectors f) {
            ByteBuffer b = ByteBuffer.allocate(f.dimension() * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int d = 0; d < f.dimension(); d++) {
                b.putFloat(f.values()[row * f.dimension() + d]);
            }
            return b.array();
        }
        Column.BinaryVectors bv = (Column.BinaryVectors) v;
        int w = bv.dimension() / 8;
        return java.util.Arrays.copyOfRange(bv.values(), row * w, (row + 1) * w);
    }
}
