/** Reads Faiss index files: {@link io.milvus.migration.faiss.FaissSource}. */
package io.milvus.migration.faiss;
