/** A source that reads PostgreSQL tables and queries with pgvector columns over JDBC. */
package io.milvus.migration.pgvector;
