/** Parquet bulk-import files, found by the engine through {@code BulkFileEncoder}. */
package io.milvus.migration.parquet;
