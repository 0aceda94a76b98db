/** The pipeline: reads splits in parallel through bounded batches, writes bulk files, loads them into the target. */
package io.milvus.migration.core;
