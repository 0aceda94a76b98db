package io.milvus.migration.spi;

import java.util.List;

/**
 * Where data comes from. A source describes the collections it holds and cuts each into {@link Split}s. The engine
 * may open readers of different splits on different threads at once, so {@link #open(Split)} must be thread-safe; a
 * source never starts threads of its own.
 */
public interface Source extends AutoCloseable {

    /** A short description for logs and reports, such as {@code faiss:/data/a.index}. Never contains secrets. */
    String describe();

    /**
     * The collections this source holds, with schema and row estimate. Reads only metadata.
     *
     * @return the collections; empty if the source holds none
     */
    List<SourceCollection> collections();

    /**
     * Cuts a collection into splits.
     *
     * @param collection one of {@link #collections()}
     * @return the splits, in a stable order; empty for an empty collection
     */
    List<Split> splits(SourceCollection collection);

    /** Opens a reader of one split returned by {@link #splits(SourceCollection)}, from its start. */
    SplitReader open(Split split);

    /**
     * Opens a reader of one split that continues after {@code from}, a position carried by a batch this source
     * produced earlier (possibly in another process). The default reads from the start only.
     *
     * @throws io.milvus.migration.MigrationException {@code SOURCE_UNSUPPORTED} if this source cannot continue
     *                                                inside a split
     */
    default SplitReader open(Split split, Position from) {
        if (from.isStart()) {
            return open(split);
        }
        throw new io.milvus.migration.MigrationException(io.milvus.migration.ErrorCode.SOURCE_UNSUPPORTED,
                describe() + " cannot continue split " + split.id() + " after row " + from.rowsRead());
    }

    /**
     * The Milvus index that matches how this source indexes a collection (an IVF index's {@code nlist}, an HNSW
     * graph's {@code M} and {@code efConstruction}, ...), so that the migrated collection is searchable as the
     * source was. Reads only metadata; the default suggests nothing.
     *
     * @param collection one of {@link #collections()}
     * @return the suggested index, with the collection's metric; empty if this source has no opinion
     */
    default java.util.Optional<IndexSpec> suggestedIndex(SourceCollection collection) {
        return java.util.Optional.empty();
    }

    /**
     * The indexes to build on the migrated collection: those the source had, on vector and scalar fields, each
     * naming its field (an index without a field is on the first vector field). Reads only metadata; the default
     * is {@link #suggestedIndex} alone.
     *
     * @param collection one of {@link #collections()}
     */
    default java.util.List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        return suggestedIndex(collection).map(java.util.List::of).orElse(java.util.List.of());
    }

    /** Releases files and connections. */
    @Override
    void close();

    /**
     * One collection of a source.
     *
     * @param schema        the rows' schema, as the source names things
     * @param estimatedRows rows the source says it holds, -1 if unknown
     */
    record SourceCollection(CollectionSchema schema, long estimatedRows) {
        public SourceCollection {
            java.util.Objects.requireNonNull(schema, "schema is null");
        }
    }
}
