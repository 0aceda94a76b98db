package io.milvus.migration;

/** The file format of staged bulk-import files. */
public enum BulkFormat {
    /** One {@code .npy} file per field per file group (NPY format 1.0). */
    NUMPY,
    /** One row-based {@code .json} file per file group: {@code {"rows":[{...},...]}}. */
    JSON,
    /**
     * One Parquet file per file group ({@code rows.parquet}), one column per field; needs the
     * {@code migration-format-parquet} module on the class path.
     */
    PARQUET
}
