/** A source that reads Pinecone indexes with Pinecone's official Java client. */
package io.milvus.migration.pinecone;
