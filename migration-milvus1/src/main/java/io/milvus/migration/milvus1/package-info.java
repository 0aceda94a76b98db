/** Milvus 1.x data-directory source: to come (see the open issues). */
package io.milvus.migration.milvus1;
