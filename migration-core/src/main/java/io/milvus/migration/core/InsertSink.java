package io.milvus.migration.core;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.TargetCollection;

/**
 * One worker's inserts into the target. With a durable ledger each batch is recorded as pending before it is sent
 * and as done after, so that after a crash the batch that was in flight is sent again as an upsert (replacing the
 * rows if they had arrived) rather than duplicated.
 */
final class InsertSink implements SplitReading.Sink {
    private final TargetCollection target;
    private final JobLedger ledger;
    private final boolean durable;
    private final String collection;

    InsertSink(TargetCollection target, JobLedger ledger, boolean durable, String collection, JobControl control) {
        this.target = target;
        this.ledger = ledger;
        this.durable = durable;
        this.collection = collection;
    }

    @Override
    public void accept(Split split, Position before, Batch batch, int offset) {
        var rec = ledger.split(collection, split.id()).orElse(null);
        boolean replay = rec != null && rec.pendingRows > before.rowsRead();
        var s = StagingSink.position(collection, split.id(), before.rowsRead(), before.cursor(), 0, false);
        s.pendingRows = Math.max(batch.position().rowsRead(), rec == null ? -1 : rec.pendingRows);
        if (durable) {
            ledger.save(s);
        }
        target.insert(split.partition(), batch, replay);
        if (replay) {
            synchronized (ledger) {
                var c = ledger.collection(collection).orElseThrow();
                c.replayedRows += batch.rowCount();
                ledger.save(c);
            }
        }
        s.rowsRead = batch.position().rowsRead();
        s.cursor = batch.position().cursor();
        if (s.pendingRows <= s.rowsRead) {
            s.pendingRows = -1;
        }
        ledger.save(s);
    }

    @Override
    public void splitDone(Split split, Position end) {
        ledger.save(StagingSink.position(collection, split.id(), end.rowsRead(), end.cursor(), 0, true));
    }

    @Override
    public void finish() {
    }

    @Override
    public void close() {
    }
}
