package io.milvus.migration.spark;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Transform;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the first task that reads one split fail once it has staged part of the split (at its second batch), as an
 * executor lost mid-task would: Spark runs the task again, and only the new attempt's files may be imported. "First"
 * is decided by a marker file created atomically, so it holds across executor JVMs on this machine (the split is
 * read on a worker thread of the engine, where Spark's TaskContext is not set).
 */
final class FailFirstAttempt implements Transform, Serializable {
    private static final long serialVersionUID = 1L;
    private final String split;
    private final String markerDir;
    private final boolean killJvm;

    /** With {@code killJvm}, the executor's JVM is halted instead, as a lost machine would be. */
    FailFirstAttempt(String split, String markerDir, boolean killJvm) {
        this.split = split;
        this.markerDir = markerDir;
        this.killJvm = killJvm;
    }

    @Override
    public CollectionSchema apply(CollectionSchema schema) {
        return schema;
    }

    @Override
    public Batch apply(Batch batch) {
        if (batch.position().splitId().equals(split) && batch.position().rowsRead() > batch.rowCount()) {
            try {
                Files.createFile(Path.of(markerDir, "failed-" + split));
            } catch (FileAlreadyExistsException e) {
                return batch; // a later attempt
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (killJvm) {
                Runtime.getRuntime().halt(137);
            }
            throw new IllegalStateException("test: the first attempt of the task reading split " + split
                    + " fails midway");
        }
        return batch;
    }

    /** Whether a task failed here. */
    static boolean failed(Path markerDir, String split) {
        return Files.exists(markerDir.resolve("failed-" + split));
    }

    @Override
    public boolean passesColumnsThrough() {
        return true;
    }
}
