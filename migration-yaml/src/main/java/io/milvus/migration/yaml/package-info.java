/** The old Go tool's {@code migration.yaml} mapped onto the library's builders, for the command line and the server. */
package io.milvus.migration.yaml;
