/** Milvus 2.x as a target: {@link io.milvus.migration.milvus2.MilvusTarget}. */
package io.milvus.migration.milvus2;
