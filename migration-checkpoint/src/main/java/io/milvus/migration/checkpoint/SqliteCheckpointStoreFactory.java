package io.milvus.migration.checkpoint;

import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.CheckpointStoreFactory;
import java.nio.file.Path;

/** The default store of a job given only an id: a SQLite file. Found with {@link java.util.ServiceLoader}. */
public final class SqliteCheckpointStoreFactory implements CheckpointStoreFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public SqliteCheckpointStoreFactory() {
    }

    @Override
    public CheckpointStore local(Path file) {
        return CheckpointStores.sqlite(file);
    }
}
