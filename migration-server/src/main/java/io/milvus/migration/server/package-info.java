/** The REST server: durable migration jobs over HTTP, the old Go tool's {@code /api/v1}, and a job page. */
package io.milvus.migration.server;
