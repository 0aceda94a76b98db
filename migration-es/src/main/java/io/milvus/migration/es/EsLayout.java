package io.milvus.migration.es;

import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.IndexSpec;
import java.util.List;
import java.util.Set;

/**
 * A collection as read from its indices: the schema, how each field is read, the indexes to suggest, and the sort
 * key of point-in-time pages ("" for the server's own tiebreaker).
 */
record EsLayout(CollectionSchema schema, List<String> indices, List<EsField> fields, List<IndexSpec> indexes,
                String sortKey, Set<String> mappedNames) {
    String indexPath() {
        return String.join(",", indices);
    }
}
