package io.milvus.migration.checkpoint;

import io.milvus.migration.spi.CheckpointStore;
import java.nio.file.Path;
import java.time.Duration;

/** Stores with a short lock timeout, for tests in other packages (the engine's). */
public final class Stores {
    private Stores() {
    }

    public static CheckpointStore sqlite(Path file, Duration lockTimeout) {
        return CheckpointStores.sqlite(file, lockTimeout);
    }

    public static CheckpointStore mysql(String jdbcUrl, String user, String password, Duration lockTimeout) {
        return CheckpointStores.mysql(jdbcUrl, user, password, lockTimeout);
    }
}
