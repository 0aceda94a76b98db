/** The command line: {@code dump}, {@code load}, {@code start} and {@code export} driven by a {@code migration.yaml}, and {@code serve}. */
package io.milvus.migration.cli;
