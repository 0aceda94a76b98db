package io.milvus.migration.core;

import io.milvus.migration.core.JobRecords.Group;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.Migration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One worker's bulk files: a writer per partition under the worker's own prefix. Each published group is handed to
 * {@code onPublish} with the split positions it moves forward; writing waits while staging is full.
 */
final class StagingSink implements SplitReading.Sink {
    private final Migration migration;
    private final Storage staging;
    private final String prefix;
    private final CollectionSchema schema;
    private final StagingBudget budget;
    private final JobControl control;
    private final JobLedger ledger;
    private final Consumer<Group> onPublish;
    private final java.util.function.BooleanSupplier importing;
    private final Map<String, Writer> writers = new LinkedHashMap<>();

    /** A writer and the bytes of its open group counted in the budget. */
    private static final class Writer {
        BulkFileWriter files;
        long counted;
    }

    /**
     * @param ledger    where split positions are recorded, null for a dump (nothing recorded)
     * @param onPublish receives each published group after it is recorded
     * @param importing whether groups are waiting for import or being imported (space will then be freed)
     */
    StagingSink(Migration migration, Storage staging, String prefix, CollectionSchema schema, StagingBudget budget,
                JobControl control, JobLedger ledger, Consumer<Group> onPublish,
                java.util.function.BooleanSupplier importing) {
        this.importing = importing;
        this.migration = migration;
        this.staging = staging;
        this.prefix = prefix;
        this.schema = schema;
        this.budget = budget;
        this.control = control;
        this.ledger = ledger;
        this.onPublish = onPublish;
    }

    @Override
    public void accept(Split split, Position before, Batch batch, int offset) {
        long bytes = batch.sizeInBytes();
        if (budget.full(bytes)) {
            budget.await(bytes, control, importing, () -> writers.values().forEach(w -> w.files.cut()));
        }
        Writer w = writers.computeIfAbsent(split.partition(), this::writer);
        w.files.write(batch, split.id(), before, offset);
        long open = w.files.openBytes();
        budget.add(open - w.counted);
        w.counted = open;
    }

    @Override
    public void splitDone(Split split, Position end) {
        Writer w = writers.get(split.partition());
        if ((w == null || !w.files.splitDone(split.id())) && ledger != null) {
            // its rows are all in published groups (or it had none left): done now
            ledger.save(position(schema.name(), split.id(), end.rowsRead(), end.cursor(), 0, true));
        }
    }

    @Override
    public boolean takesStoredVectors() {
        return migration.bulkFormat() == io.milvus.migration.BulkFormat.NUMPY;
    }

    @Override
    public void finish() {
        writers.values().forEach(w -> w.files.finish());
    }

    @Override
    public void close() {
        writers.values().forEach(w -> w.files.close());
    }

    private Writer writer(String partition) {
        var w = new Writer();
        String dir = partition.isEmpty() ? prefix : prefix + "/" + directoryName(partition);
        w.files = new BulkFileWriter(staging, dir, partition, schema, migration.bulkFormat(),
                migration.maxFileBytes(), published -> publish(w, published));
        return w;
    }

    private void publish(Writer w, BulkFileWriter.Published p) {
        budget.add(p.bytes() - w.counted);
        w.counted = 0;
        var g = new Group();
        String first = p.group().keys().get(0);
        g.dir = first.substring(0, first.lastIndexOf('/'));
        g.id = schema.name() + ":" + g.dir;
        g.collection = schema.name();
        g.partition = p.group().partition();
        g.format = p.group().format().name();
        g.keys = new ArrayList<>(p.group().keys());
        g.rows = p.group().rows();
        g.bytes = p.bytes();
        g.ranges = new ArrayList<>(p.ranges());
        if (ledger != null) {
            List<JobRecords.Split> moved = p.ranges().stream()
                    .map(r -> position(schema.name(), r.split, r.toRows, r.toCursor, r.toSkip, r.last)).toList();
            ledger.publish(g, moved);
        }
        control.staged(g.rows);
        onPublish.accept(g);
    }

    static JobRecords.Split position(String collection, String split, long rows, String cursor, long skip,
                                     boolean done) {
        var s = new JobRecords.Split();
        s.collection = collection;
        s.split = split;
        s.rowsRead = rows;
        s.cursor = cursor;
        s.skip = skip;
        s.done = done;
        return s;
    }

    /** A directory name for a partition: its name made path-safe, plus a hash so that names stay distinct. */
    static String directoryName(String partition) {
        return "partition-" + partition.replaceAll("[^A-Za-z0-9_-]", "_") + "-"
                + Integer.toHexString(partition.hashCode());
    }
}
