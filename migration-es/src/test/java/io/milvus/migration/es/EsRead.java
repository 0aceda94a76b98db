package io.milvus.migration.es;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a source's collections back as rows (primary key to field values), failing on a key read twice. */
final class EsRead {
    private EsRead() {
    }

    static Map<String, Map<String, Object>> all(Source source, String collection) {
        var c = source.collections().stream().filter(x -> x.schema().name().equals(collection)).findFirst()
                .orElseThrow(() -> new AssertionError("no collection " + collection));
        var rows = new LinkedHashMap<String, Map<String, Object>>();
        for (Split s : source.splits(c)) {
            try (SplitReader r = source.open(s)) {
                drain(r, c.schema().primaryKey().name(), rows, Integer.MAX_VALUE);
            }
        }
        return rows;
    }

    /** Reads up to {@code maxBatches} batches into {@code rows}; returns the last batch read. */
    static Optional<Batch> drain(SplitReader r, String key, Map<String, Map<String, Object>> rows, int maxBatches) {
        Optional<Batch> last = Optional.empty();
        for (int i = 0; i < maxBatches; i++) {
            Optional<Batch> b = r.next(500);
            if (b.isEmpty()) {
                break;
            }
            last = b;
            add(b.get(), key, rows);
        }
        return last;
    }

    static void add(Batch b, String key, Map<String, Map<String, Object>> rows) {
        Column k = b.column(key);
        for (int i = 0; i < b.rowCount(); i++) {
            var row = new LinkedHashMap<String, Object>();
            for (var e : b.columns().entrySet()) {
                Object v = e.getValue().value(i);
                if (v instanceof float[] f) {
                    v = toList(f);
                }
                row.put(e.getKey(), v);
            }
            String id = String.valueOf(k.value(i));
            if (rows.put(id, row) != null) {
                throw new AssertionError("document " + id + " read twice");
            }
        }
    }

    static List<Float> toList(float[] f) {
        var l = new java.util.ArrayList<Float>(f.length);
        for (float x : f) {
            l.add(x);
        }
        return l;
    }
}
