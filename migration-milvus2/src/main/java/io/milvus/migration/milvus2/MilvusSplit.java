package io.milvus.migration.milvus2;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Split;

/**
 * A primary-key range of one partition of a Milvus 2.x collection: the rows whose key is above {@code lower} (none:
 * from the first) and at most {@code upper} (none: to the last). Plain data; the reader opens the client.
 *
 * @param id            stable within the collection: the partition and the range's number
 * @param database      the source database
 * @param collection    the source collection
 * @param sourcePartition the partition read; "" for every partition (a partition-key collection)
 * @param partition     the target partition the rows go to; "" for the default (or by key)
 * @param lower         exclusive lower key bound as text; null for none
 * @param upper         inclusive upper key bound as text; null for none
 * @param estimatedRows rows the range held when it was cut
 * @param snapshot      the Milvus timestamp every read of the source is made at; 0 for the latest
 */
record MilvusSplit(String id, String database, String collection, String sourcePartition, String partition,
                   String lower, String upper, long estimatedRows, long snapshot) implements Split {
    MilvusSplit {
        requireNonNull(id, "id is null");
        requireNonNull(database, "database is null");
        requireNonNull(collection, "collection is null");
        requireNonNull(sourcePartition, "sourcePartition is null");
        requireNonNull(partition, "partition is null");
    }
}
