package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.IndexSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Migration#run()} would do, from {@link Migration#plan()}: per collection its target schema, splits,
 * rows and bytes, and the file groups and import jobs expected. Computed from the source's metadata without writing
 * anything. Immutable; built by the engine.
 */
public final class MigrationPlan {
    private final String source;
    private final String target;
    private final String staging;
    private final boolean bulkImport;
    private final List<Collection> collections;

    private MigrationPlan(Builder b) {
        this.source = b.source;
        this.target = b.target;
        this.staging = b.staging;
        this.bulkImport = b.bulkImport;
        this.collections = List.copyOf(b.collections);
    }

    /** Starts a plan; called by engines. */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** The source's description. */
    public String source() {
        return source;
    }

    /** The target's description; "" without a target. */
    public String target() {
        return target;
    }

    /** Where files would be staged (storage and prefix); "" when rows would be inserted. */
    public String staging() {
        return staging;
    }

    /** Whether rows would be bulk imported from staged files (else inserted). */
    public boolean bulkImport() {
        return bulkImport;
    }

    /** The collections, in the order they would be migrated; empty if the source holds none. */
    public List<Collection> collections() {
        return collections;
    }

    /** Rows of all collections; -1 if a collection's count is unknown. */
    public long rows() {
        return collections.stream().anyMatch(c -> c.rows() < 0) ? -1
                : collections.stream().mapToLong(Collection::rows).sum();
    }

    /** Bytes of all collections' rows as staged (estimated). */
    public long bytes() {
        return collections.stream().mapToLong(Collection::bytes).sum();
    }

    @Override
    public String toString() {
        return "MigrationPlan[source=" + source + ", target=" + target + ", collections=" + collections + "]";
    }

    /** Collects a plan; not thread-safe. */
    public static final class Builder {
        private final String source;
        private String target = "";
        private String staging = "";
        private boolean bulkImport;
        private final List<Collection> collections = new ArrayList<>();

        private Builder(String source) {
            this.source = requireNonNull(source, "source is null");
        }

        /** The target's description. Default "". */
        public Builder target(String target) {
            this.target = requireNonNull(target, "target is null");
            return this;
        }

        /** Where files would be staged, and that they would be bulk imported. Default: none (inserts). */
        public Builder staging(String staging) {
            this.staging = requireNonNull(staging, "staging is null");
            this.bulkImport = true;
            return this;
        }

        /** Adds a collection. */
        public Builder collection(Collection collection) {
            collections.add(requireNonNull(collection, "collection is null"));
            return this;
        }

        /** Freezes the plan. */
        public MigrationPlan build() {
            return new MigrationPlan(this);
        }
    }

    /** One collection of a plan. */
    public static final class Collection {
        private final String sourceName;
        private final CollectionSchema schema;
        private final int splits;
        private final long rows;
        private final long bytes;
        private final Map<String, Long> partitionRows;
        private final int fileGroups;
        private final int importJobs;
        private final List<IndexSpec> indexes;

        private Collection(CollectionBuilder b) {
            this.sourceName = b.sourceName;
            this.schema = b.schema;
            this.splits = b.splits;
            this.rows = b.rows;
            this.bytes = b.bytes;
            this.partitionRows = Collections.unmodifiableMap(new LinkedHashMap<>(b.partitionRows));
            this.fileGroups = b.fileGroups;
            this.importJobs = b.importJobs;
            this.indexes = List.copyOf(b.indexes);
        }

        /** Starts a collection of a plan. */
        public static CollectionBuilder builder(String sourceName, CollectionSchema schema) {
            return new CollectionBuilder(sourceName, schema);
        }

        /** Its name in the source. */
        public String sourceName() {
            return sourceName;
        }

        /** Its schema in the target (after transforms); its name is the target collection's. */
        public CollectionSchema schema() {
            return schema;
        }

        /** Splits it is cut into. */
        public int splits() {
            return splits;
        }

        /** Rows, as the source estimates them; -1 if unknown. */
        public long rows() {
            return rows;
        }

        /** Bytes of its rows in batches and staged files (estimated). */
        public long bytes() {
            return bytes;
        }

        /** Estimated rows per target partition ("" for the default one). */
        public Map<String, Long> partitionRows() {
            return partitionRows;
        }

        /** File groups expected to be staged (estimated; 0 when rows are inserted). */
        public int fileGroups() {
            return fileGroups;
        }

        /** Import jobs expected (one per file group; 0 when rows are inserted). */
        public int importJobs() {
            return importJobs;
        }

        /** The first index the source suggests for it; empty if none. */
        public Optional<IndexSpec> index() {
            return indexes.stream().findFirst();
        }

        /** The indexes the source suggests for it, in order. */
        public List<IndexSpec> indexes() {
            return indexes;
        }

        @Override
        public String toString() {
            return schema.name() + "[" + rows + " rows, " + splits + " splits, " + fileGroups + " groups]";
        }
    }

    /** Collects one collection of a plan; not thread-safe. */
    public static final class CollectionBuilder {
        private final String sourceName;
        private final CollectionSchema schema;
        private int splits;
        private long rows = -1;
        private long bytes;
        private final Map<String, Long> partitionRows = new LinkedHashMap<>();
        private int fileGroups;
        private int importJobs;
        private final List<IndexSpec> indexes = new java.util.ArrayList<>();

        private CollectionBuilder(String sourceName, CollectionSchema schema) {
            this.sourceName = requireNonNull(sourceName, "sourceName is null");
            this.schema = requireNonNull(schema, "schema is null");
        }

        /** Splits. Default 0. */
        public CollectionBuilder splits(int n) {
            this.splits = n;
            return this;
        }

        /** Rows. Default -1 (unknown). */
        public CollectionBuilder rows(long n) {
            this.rows = n;
            return this;
        }

        /** Bytes. Default 0. */
        public CollectionBuilder bytes(long n) {
            this.bytes = n;
            return this;
        }

        /** Estimated rows of one partition. */
        public CollectionBuilder partitionRows(String partition, long n) {
            partitionRows.merge(requireNonNull(partition, "partition is null"), n, Long::sum);
            return this;
        }

        /** Expected file groups and import jobs. Default 0. */
        public CollectionBuilder fileGroups(int groups, int imports) {
            this.fileGroups = groups;
            this.importJobs = imports;
            return this;
        }

        /** Adds a suggested index. Default none. */
        public CollectionBuilder index(IndexSpec spec) {
            indexes.add(requireNonNull(spec, "spec is null"));
            return this;
        }

        /** Freezes it. */
        public Collection build() {
            return new Collection(this);
        }
    }
}
