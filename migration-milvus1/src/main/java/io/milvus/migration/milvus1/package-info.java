/** Milvus 1.x source: reads a data directory's catalogue (SQLite or the old tool's meta.json) and segment files. */
package io.milvus.migration.milvus1;
