package io.milvus.migration.yaml;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.ConsistencyLevel;
import io.milvus.migration.spi.Transform;
import java.util.LinkedHashMap;

/**
 * The Go tool's {@code meta.milvus} settings of the target collection: without the dynamic field (its values are
 * dropped), another shard count, another consistency level. Stateless.
 */
final class SchemaOverrides implements Transform {
    private final boolean closeDynamicField;
    private final Integer shards;
    private final ConsistencyLevel level;

    SchemaOverrides(boolean closeDynamicField, Integer shards, ConsistencyLevel level) {
        this.closeDynamicField = closeDynamicField;
        this.shards = shards;
        this.level = level;
    }

    @Override
    public CollectionSchema apply(CollectionSchema schema) {
        var b = schema.toBuilder();
        if (closeDynamicField) {
            b.dynamicField(false);
        }
        if (shards != null) {
            b.shards(shards);
        }
        if (level != null) {
            b.consistencyLevel(level);
        }
        return b.build();
    }

    @Override
    public Batch apply(Batch batch) {
        if (!closeDynamicField || !batch.columns().containsKey(CollectionSchema.DYNAMIC_FIELD)) {
            return batch;
        }
        var columns = new LinkedHashMap<>(batch.columns());
        columns.remove(CollectionSchema.DYNAMIC_FIELD);
        return new Batch(batch.position(), columns);
    }

    @Override
    public boolean passesColumnsThrough() {
        return true;
    }
}
