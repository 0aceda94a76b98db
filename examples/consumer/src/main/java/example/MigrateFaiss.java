package example;

import io.milvus.migration.Migration;              // migration-api, which migration-core brings
import io.milvus.migration.MigrationReport;        // migration-api
import io.milvus.migration.faiss.FaissSource;      // migration-faiss
import io.milvus.migration.milvus2.MilvusTarget;   // migration-milvus2
import io.milvus.migration.storage.LocalStorage;   // migration-storage
import java.nio.file.Path;

/** Usage: MigrateFaiss INDEX_FILE MILVUS_URI COLLECTION STAGING_DIR */
public class MigrateFaiss {
    public static void main(String[] args) throws Exception {
        Path indexFile = Path.of(args[0]);      // written by faiss.write_index
        String milvusUri = args[1];             // such as http://127.0.0.1:19530
        String collection = args[2];
        Path staging = Path.of(args[3]);        // bulk files; Milvus must be able to read them (see below)

        try (FaissSource source = FaissSource.builder().file(indexFile).collection(collection).build();
             MilvusTarget target = MilvusTarget.builder()
                     .uri(milvusUri).user("root").password("Milvus")             // or .token(...)
                     .database("default").shards(2)
                     .ifExists(MilvusTarget.IfExists.FAIL)                       // or APPEND, RECREATE
                     .createIndex("AUTOINDEX").loadCollection(true)              // optional, after the data is in
                     .build()) {
            MigrationReport report = Migration.builder()
                    .source(source)
                    .target(target)
                    .staging(LocalStorage.at(staging))   // where bulk files are written for Milvus to read
                    .parallelism(4).batchBytes(8 << 20).maxFileBytes(1L << 30)
                    .build()
                    .run();
            System.out.printf("%d rows read, %d loaded into %s in %d ms%n", report.rowsRead(),
                    report.rowsLoaded(), report.collections(), report.elapsed().toMillis());
        }
    }
}
