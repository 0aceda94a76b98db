package io.milvus.migration.core;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationPlan;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Source.SourceCollection;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.Target;
import io.milvus.migration.spi.Transform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Migration#plan()}: the source's collections and splits through the transforms, with the file groups the
 * writers would cut. Reads metadata only; never opens a target collection or writes to staging.
 */
final class Planner {
    private Planner() {
    }

    static MigrationPlan plan(Migration m) {
        Source source = m.source().orElseThrow();
        Target target = m.target().orElse(null);
        var plan = MigrationPlan.builder(source.describe());
        boolean bulk = target == null || target.bulkImport();
        if (target != null) {
            plan.target(target.describe());
        }
        if (bulk && m.staging().isPresent()) {
            plan.staging(m.staging().get().describe() + "/" + m.stagingPrefix());
        }
        for (SourceCollection sc : source.collections()) {
            CollectionSchema schema = sc.schema();
            for (Transform t : m.transforms()) {
                schema = t.apply(schema);
            }
            List<Split> splits = source.splits(sc);
            var c = MigrationPlan.Collection.builder(sc.schema().name(), schema).splits(splits.size());
            long rows = sc.estimatedRows();
            var perPartition = new LinkedHashMap<String, long[]>(); // partition -> rows, splits
            boolean known = true;
            for (Split s : splits) {
                long[] p = perPartition.computeIfAbsent(s.partition(), k -> new long[2]);
                if (s.estimatedRows() < 0) {
                    known = false;
                } else {
                    p[0] += s.estimatedRows();
                }
                p[1]++;
            }
            if (rows < 0 && known) {
                rows = perPartition.values().stream().mapToLong(p -> p[0]).sum();
            }
            c.rows(rows).bytes(rows < 0 ? 0 : rows * schema.bytesPerRow());
            perPartition.forEach((partition, p) -> c.partitionRows(partition, p[0]));
            int groups = bulk && m.staging().isPresent() || target == null ? groups(m, schema, perPartition) : 0;
            c.fileGroups(groups, target == null ? 0 : groups);
            source.suggestedIndexes(sc).forEach(c::index);
            plan.collection(c.build());
        }
        return plan.build();
    }

    /**
     * Groups the writers would publish: each worker writes its own group per partition, cut when its largest file
     * would pass {@code maxFileBytes}; a partition's splits are shared among at most {@code parallelism} workers.
     */
    private static int groups(Migration m, CollectionSchema schema, Map<String, long[]> perPartition) {
        long largest = schema.fields().stream().mapToLong(FieldSchema::bytesPerRow).max().orElse(1);
        long groups = 0;
        for (long[] p : perPartition.values()) {
            if (p[0] <= 0) {
                continue;
            }
            long workers = Math.min(m.parallelism(), p[1]);
            long bySize = (p[0] * largest + m.maxFileBytes() - 1) / m.maxFileBytes();
            groups += Math.max(workers, bySize);
        }
        return (int) Math.min(Integer.MAX_VALUE, groups);
    }
}
