/** The front of the library: {@link io.milvus.migration.Migration#builder()} and what a run returns or throws. */
package io.milvus.migration;
