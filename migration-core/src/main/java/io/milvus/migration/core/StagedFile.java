package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file being written for a storage key: in place (under a temporary name) when the storage is local, otherwise in
 * a local spool file uploaded on {@link #publish()}. Either way the key shows only complete files.
 */
final class StagedFile {
    private final Storage storage;
    private final String key;
    private final Path local;
    private final Path finalPath;

    StagedFile(Storage storage, String key) {
        this.storage = storage;
        this.key = key;
        try {
            var inPlace = storage.localPath(key);
            if (inPlace.isPresent()) {
                finalPath = inPlace.get();
                Files.createDirectories(finalPath.getParent());
                local = finalPath.resolveSibling(finalPath.getFileName() + ".inprogress");
            } else {
                finalPath = null;
                local = Files.createTempFile("migration-spool-", "-" + Path.of(key).getFileName());
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot create " + key + " in " + storage.describe(), e);
        }
    }

    /** The local file to write. */
    Path path() {
        return local;
    }

    String key() {
        return key;
    }

    /** Makes the finished file visible under its key. */
    void publish() {
        try {
            if (finalPath != null) {
                Files.move(local, finalPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                storage.upload(key, local);
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot publish " + key + " in " + storage.describe(),
                    e);
        }
    }

    /** Removes the unfinished file. Never throws. */
    void discard() {
        try {
            Files.deleteIfExists(local);
        } catch (IOException ignored) {
            // best effort: a stray temporary file is harmless and named .inprogress / migration-spool-*
        }
    }
}
