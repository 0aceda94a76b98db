/** Plug-in interfaces and the values that flow between them: sources, splits, batches, storage, targets. */
package io.milvus.migration.spi;
