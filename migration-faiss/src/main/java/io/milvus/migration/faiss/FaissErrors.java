package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.nio.file.Path;

/** The typed errors of this module: every message names the file and the offset at fault. */
final class FaissErrors {
    private FaissErrors() {
    }

    static MigrationException format(Path file, long offset, String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, "Faiss file " + file + " at offset " + offset + ": "
                + what);
    }

    static MigrationException unsupported(Path file, long offset, String what) {
        return new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Faiss file " + file + " at offset " + offset
                + ": " + what);
    }
}
