package io.milvus.migration.spark;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Transform;
import java.io.Serializable;

/** Fails every attempt of the task reading one split, at its second batch: the Spark job fails. */
final class AlwaysFail implements Transform, Serializable {
    private static final long serialVersionUID = 1L;
    private final String split;

    AlwaysFail(String split) {
        this.split = split;
    }

    @Override
    public CollectionSchema apply(CollectionSchema schema) {
        return schema;
    }

    @Override
    public Batch apply(Batch batch) {
        if (batch.position().splitId().equals(split) && batch.position().rowsRead() > batch.rowCount()) {
            throw new IllegalStateException("test: every attempt of split " + split + " fails");
        }
        return batch;
    }

    @Override
    public boolean passesColumnsThrough() {
        return true;
    }
}
