package io.milvus.migration.milvus1;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The rows of a Milvus 1.x catalogue this source needs, as the catalogue holds them (no filtering): the
 * {@code Tables} table (collections, and partitions as rows with an owner) and the {@code TableFiles} table
 * (segment files). Filtering by state and file type is {@link Milvus1Source}'s job, so every {@link CatalogReader}
 * applies the same rules.
 *
 * @param tables every {@code Tables} row
 * @param files  every {@code TableFiles} row
 */
record Catalog(List<Table> tables, List<TableFile> files) {
    /** {@code Tables.state} of a live collection (Milvus 1.x {@code TableSchema::NORMAL}). */
    static final int STATE_NORMAL = 0;
    /** {@code Tables.state} of a dropped collection or partition not yet cleaned up ({@code TO_DELETE}). */
    static final int STATE_TO_DELETE = 1;

    /** {@code TableFiles.file_type} values (Milvus 1.x {@code TableFileSchema::FILE_TYPE}, in enum order). */
    static final int FILE_NEW = 0;
    static final int FILE_RAW = 1;
    static final int FILE_TO_INDEX = 2;
    static final int FILE_INDEX = 3;
    static final int FILE_TO_DELETE = 4;
    static final int FILE_NEW_MERGE = 5;
    static final int FILE_NEW_INDEX = 6;
    static final int FILE_BACKUP = 7;

    Catalog {
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
        files = List.copyOf(requireNonNull(files, "files is null"));
    }

    /** Whether a file of this type holds a segment's raw vectors ({@code .rv}/{@code .uid}/{@code deleted_docs}). */
    static boolean holdsRawVectors(int fileType) {
        return fileType == FILE_RAW || fileType == FILE_TO_INDEX || fileType == FILE_BACKUP;
    }

    /**
     * One {@code Tables} row.
     *
     * @param tableId      {@code table_id}: the collection name, or a partition's internal table name
     * @param state        {@code state}
     * @param dimension    {@code dimension} (bits for binary collections)
     * @param metricType   {@code metric_type}, Milvus 1.x code (1 L2 ... 7 SUPERSTRUCTURE)
     * @param ownerTable   {@code owner_table}: "" for a collection, the owner's table_id for a partition
     * @param partitionTag {@code partition_tag}: "" for a collection, the tag for a partition
     * @param engineType   {@code engine_type}: the index the collection was built with (Milvus 1.x
     *                     {@code EngineType}: 1 IDMAP, 2 IVFFLAT, 3 IVFSQ8, ...), 0 where the catalogue does not say
     * @param indexParams  {@code index_params} as JSON, such as {@code {"nlist":16384}}; "" where not known
     */
    record Table(String tableId, int state, int dimension, int metricType, String ownerTable, String partitionTag,
                 int engineType, String indexParams) {
        Table {
            requireNonNull(tableId, "tableId is null");
            ownerTable = ownerTable == null ? "" : ownerTable;
            partitionTag = partitionTag == null ? "" : partitionTag;
            indexParams = indexParams == null ? "" : indexParams;
        }

        /** A row of a catalogue that does not record the index (the old tool's meta.json). */
        Table(String tableId, int state, int dimension, int metricType, String ownerTable, String partitionTag) {
            this(tableId, state, dimension, metricType, ownerTable, partitionTag, 0, "");
        }

        boolean isPartition() {
            return !ownerTable.isEmpty();
        }
    }

    /**
     * One {@code TableFiles} row.
     *
     * @param tableId   {@code table_id}: the collection or partition the file belongs to
     * @param segmentId {@code segment_id}: the segment directory
     * @param fileId    {@code file_id}
     * @param fileType  {@code file_type}
     * @param rowCount  {@code row_count}: live rows (Milvus 1.x subtracts deletes from it)
     * @param fileSize  {@code file_size} in bytes, 0 where unknown (the old tool's meta.json is not read for it);
     *                  only carried into an exported meta.json, never checked
     */
    record TableFile(String tableId, String segmentId, String fileId, int fileType, long rowCount, long fileSize) {
        TableFile {
            requireNonNull(tableId, "tableId is null");
            segmentId = segmentId == null ? "" : segmentId;
            fileId = fileId == null ? "" : fileId;
        }

        TableFile(String tableId, String segmentId, String fileId, int fileType, long rowCount) {
            this(tableId, segmentId, fileId, fileType, rowCount, 0);
        }

        /** The segment directory name: {@code segment_id}, or {@code file_id} where old catalogues left it empty. */
        String segment() {
            return segmentId.isEmpty() ? fileId : segmentId;
        }
    }
}
