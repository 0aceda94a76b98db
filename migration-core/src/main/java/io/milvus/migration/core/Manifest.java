package io.milvus.migration.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What a dump wrote, kept as {@code manifest.json} beside the files so that a later load knows the collections,
 * their schemas and which file groups to import.
 *
 * @param version     format version, {@value #VERSION}
 * @param collections one entry per collection
 */
record Manifest(int version, List<Entry> collections) {
    static final int VERSION = 1;
    static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(SchemaJson.module());

    /**
     * @param schema the target schema
     * @param rows   rows in all groups
     * @param groups file groups to import
     */
    record Entry(CollectionSchema schema, long rows, List<BulkFileGroup> groups) {
    }

    /** Loads and initialises the JSON mapper. */
    static void prepare() {
        JSON.writerFor(Manifest.class);
    }

    void write(Storage storage, String prefix) {
        try {
            storage.write(DefaultMigrationEngine.key(prefix, FILE), JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot write " + DefaultMigrationEngine.key(prefix, FILE), e);
        }
    }

    static Manifest read(Storage storage, String prefix) {
        String key = DefaultMigrationEngine.key(prefix, FILE);
        if (!storage.exists(key)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "nothing to load: " + key + " not found in "
                    + storage.describe() + " (run dump first)");
        }
        try (InputStream in = storage.read(key)) {
            Manifest m = JSON.readValue(in, Manifest.class);
            if (m.version() != VERSION) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, key + " has version " + m.version()
                        + ", this library reads version " + VERSION);
            }
            return m;
        } catch (IOException | IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot read " + key + " in " + storage.describe()
                    + ": " + e.getMessage(), e);
        }
    }
}
