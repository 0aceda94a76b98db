/** Elasticsearch and OpenSearch source: to come (see the open issues). */
package io.milvus.migration.es;
