package io.milvus.migration.pinecone;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Split;

/**
 * One namespace of a Pinecone index, read in list order. Plain data: no client, no key.
 *
 * @param id        the split id: {@code namespace/<namespace>} ({@code namespace/} for the default one)
 * @param index     the index's name
 * @param namespace the namespace as the index names it ("" or {@code __default__} for the default one)
 * @param partition the target partition ("" for the default one)
 * @param records   records the index's statistics count in the namespace
 */
record PineconeSplit(String id, String index, String namespace, String partition, long records) implements Split {
    PineconeSplit {
        requireNonNull(id, "id is null");
        requireNonNull(index, "index is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(partition, "partition is null");
    }

    @Override
    public long estimatedRows() {
        return records;
    }
}
