/** A source that reads Qdrant collections with the official Java client ({@code io.qdrant:client}) over gRPC. */
package io.milvus.migration.qdrant;
