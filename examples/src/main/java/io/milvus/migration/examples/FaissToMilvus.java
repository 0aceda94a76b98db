package io.milvus.migration.examples;

import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Migrates a Faiss index file into a Milvus collection through the builder and prints the report.
 *
 * <p>Arguments: the index file, the Milvus URI (default {@code http://127.0.0.1:19530}), the collection name
 * (default {@code faiss_example}). Staged files go to a temporary directory that Milvus, running on this machine,
 * reads directly.
 */
public final class FaissToMilvus {
    private FaissToMilvus() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FaissToMilvus INDEX_FILE [MILVUS_URI] [COLLECTION]");
            System.exit(2);
        }
        Path index = Path.of(args[0]);
        String uri = args.length > 1 ? args[1] : "http://127.0.0.1:19530";
        String collection = args.length > 2 ? args[2] : "faiss_example";
        Path staging = Files.createTempDirectory("faiss-to-milvus-");

        try (FaissSource source = FaissSource.builder().file(index).collection(collection).build();
             MilvusTarget target = MilvusTarget.builder()
                     .uri(uri)
                     .ifExists(MilvusTarget.IfExists.RECREATE)
                     .createIndex("AUTOINDEX")
                     .loadCollection(true)
                     .build()) {
            MigrationReport report = Migration.builder()
                    .source(source)
                    .target(target)
                    .staging(LocalStorage.at(staging))
                    .build()
                    .run();
            System.out.printf("Migrated %s (%s) into collection %s at %s:%n", index, source.indexType(),
                    report.collections(), uri);
            System.out.printf("  rows read %d, rows loaded %d, files staged %d, %d ms%n", report.rowsRead(),
                    report.rowsLoaded(), report.stagedFiles().size(), report.elapsed().toMillis());
        }
    }
}
