/** The Elasticsearch 7.x/8.x and OpenSearch 2.x source: {@link io.milvus.migration.es.EsSource}. */
package io.milvus.migration.es;
