/** The command line: {@code dump}, {@code load} and {@code start} driven by a {@code migration.yaml}. */
package io.milvus.migration.cli;
