/** Storage backends: {@link io.milvus.migration.storage.LocalStorage} (object stores to come). */
package io.milvus.migration.storage;
