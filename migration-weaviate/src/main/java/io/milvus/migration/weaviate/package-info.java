/** A source that reads Weaviate 1.x classes (collections) over Weaviate's REST API. */
package io.milvus.migration.weaviate;
