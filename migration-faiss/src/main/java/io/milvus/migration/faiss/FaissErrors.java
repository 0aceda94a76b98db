package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;

/** The typed errors of this module: every message names the file and the offset at fault. */
final class FaissErrors {
    private FaissErrors() {
    }

    static MigrationException format(FaissFile file, long offset, String what) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, "Faiss file " + file + " at offset " + offset + ": "
                + what);
    }

    static MigrationException unsupported(FaissFile file, long offset, String what) {
        return new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Faiss file " + file + " at offset " + offset
                + ": " + what);
    }

    /** {@code SOURCE_UNSUPPORTED} for a structure too large to hold in one Java array, without an offset. */
    static MigrationException tooLarge(FaissFile file, String what) {
        return new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Faiss file " + file + ": " + what);
    }
}
