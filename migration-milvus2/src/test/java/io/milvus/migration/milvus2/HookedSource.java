package io.milvus.migration.milvus2;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.util.List;
import java.util.Optional;

/**
 * A real source whose readers call a hook before each batch, on the reading thread: to slow reading down (a slow
 * disk or network) or to make it fail at a chosen moment. Everything else is the source's own.
 */
final class HookedSource implements Source {
    /** Called before each batch is read. */
    interface Hook {
        void beforeBatch(Split split) throws InterruptedException;
    }

    private final Source source;
    private final Hook hook;

    HookedSource(Source source, Hook hook) {
        this.source = source;
        this.hook = hook;
    }

    @Override
    public String describe() {
        return source.describe();
    }

    @Override
    public List<SourceCollection> collections() {
        return source.collections();
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        return source.splits(collection);
    }

    @Override
    public SplitReader open(Split split) {
        return hooked(split, source.open(split));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        return hooked(split, source.open(split, from));
    }

    private SplitReader hooked(Split split, SplitReader reader) {
        return new SplitReader() {
            @Override
            public Optional<Batch> next(int maxRows) {
                try {
                    hook.beforeBatch(split);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.milvus.migration.MigrationException(io.milvus.migration.ErrorCode.INTERRUPTED,
                            "interrupted while reading split " + split.id(), e);
                }
                return reader.next(maxRows);
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }

    @Override
    public void close() {
        source.close();
    }
}
