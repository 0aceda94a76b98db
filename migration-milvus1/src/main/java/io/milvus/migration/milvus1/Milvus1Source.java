package io.milvus.migration.milvus1;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Milvus 0.9–1.x data directory as a source: one collection per live collection of the catalogue, with fields
 * {@code id} (INT64 primary key: the 1.x ids, kept) and {@code vector} (FLOAT_VECTOR, or BINARY_VECTOR for
 * collections with a binary metric, of the collection's dimension). Each segment holding raw vectors is a
 * {@link Split}; a partition's segments carry its tag as {@link Split#partition()}; deleted rows never come out.
 *
 * <p>Catalogue: {@code <directory>/db/meta.sqlite} (default), another SQLite file ({@link Builder#sqliteMeta}), a
 * MySQL/MariaDB database ({@link Builder#mysqlMeta}, or the Go tool's DSN: {@link Builder#mysqlMetaDsn}) or the Go
 * tool's {@code meta.json} ({@link Builder#jsonMeta}); {@link Builder#writeMetaJson} exports that file. Only collections in state normal count (dropped ones,
 * state to-delete, are skipped, with their partitions); of their {@code TableFiles}, only raw, to-index and backup
 * files (types 1, 2 and 7: the ones holding {@code .rv}/{@code .uid}) are read: index files (3) and files merged
 * away or being written (0, 4, 5, 6) are not.
 *
 * <p>Metrics map to Milvus 2.x: L2, IP, HAMMING and JACCARD by name; TANIMOTO becomes JACCARD (on bit vectors
 * Tanimoto distance is a monotonic function of Jaccard distance, so searches rank alike, and Milvus 2.3 has no
 * TANIMOTO); SUBSTRUCTURE and SUPERSTRUCTURE, which Milvus 2.x lacks, are SOURCE_UNSUPPORTED.
 *
 * <p>Segment files are read from a local directory or through a {@link Storage} (an S3, GCS or Azure copy of the
 * {@code tables} directory: {@link Builder#tables(Storage, String)}), with positional (ranged) reads.
 *
 * <p>Building reads the catalogue and checks every segment's file sizes against each other and against the
 * catalogue's live row count, so a bad directory fails before anything is written; rows are streamed when read.
 *
 * <pre>{@code
 * Source source = Milvus1Source.builder().directory(Path.of("/var/lib/milvus")).collections("docs").build();
 * Source remote = Milvus1Source.builder().sqliteMeta(Path.of("meta.sqlite"))
 *         .tables(S3Storage.builder().bucket("backup").build(), "milvus/db/tables").build();
 * }</pre>
 */
public final class Milvus1Source implements Source {
    private final String description;
    private final List<Entry> entries;

    /** A collection, its splits, and the checked files of each split by id (splits hold no file handles). */
    private record Entry(SourceCollection collection, List<Split> splits, java.util.Map<String, SegmentFiles.Shape> shapes,
                         java.util.Optional<io.milvus.migration.spi.IndexSpec> index) {
    }

    private final Storage ownedStorage;

    private Milvus1Source(Builder b, CatalogReader reader, String location, SegmentStore tables) {
        this.ownedStorage = b.ownedStorage;
        this.description = "milvus1:" + location + " (" + reader.describe() + ")";
        Catalog catalog = reader.read();
        this.entries = List.copyOf(entries(catalog, tables, b));
    }

    private static List<Entry> entries(Catalog catalog, SegmentStore store, Builder b) {
        Map<String, Catalog.Table> live = new LinkedHashMap<>();
        for (Catalog.Table t : catalog.tables()) {
            if (t.state() == Catalog.STATE_NORMAL && !t.isPartition()) {
                live.put(t.tableId(), t);
            }
        }
        Set<String> wanted = b.collections == null ? live.keySet() : b.collections;
        for (String name : wanted) {
            if (!live.containsKey(name)) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "collection " + name + " is not a live"
                        + " collection of the Milvus 1.x catalogue; it has " + live.keySet());
            }
        }
        Map<String, List<Catalog.TableFile>> filesByTable = new LinkedHashMap<>();
        for (Catalog.TableFile f : catalog.files()) {
            if (Catalog.holdsRawVectors(f.fileType())) {
                filesByTable.computeIfAbsent(f.tableId(), k -> new ArrayList<>()).add(f);
            }
        }
        var out = new ArrayList<Entry>();
        for (Catalog.Table owner : live.values()) {
            if (!wanted.contains(owner.tableId())) {
                continue;
            }
            String name = owner.tableId();
            boolean binary = isBinary(owner.metricType());
            MetricType metric = metric(name, owner.metricType());
            if (owner.dimension() <= 0 || binary && owner.dimension() % 8 != 0) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Milvus 1.x collection " + name + " has"
                        + " dimension " + owner.dimension() + ", invalid for " + (binary ? "binary" : "float")
                        + " vectors");
            }
            int rowBytes = binary ? owner.dimension() / 8 : owner.dimension() * Float.BYTES;
            var tables = new ArrayList<Catalog.Table>();
            tables.add(owner);
            catalog.tables().stream()
                    .filter(t -> t.state() == Catalog.STATE_NORMAL && t.ownerTable().equals(name))
                    .sorted(Comparator.comparing(Catalog.Table::partitionTag))
                    .forEach(tables::add);
            var splits = new ArrayList<Split>();
            var shapes = new java.util.HashMap<String, SegmentFiles.Shape>();
            long rows = 0;
            for (Catalog.Table t : tables) {
                String partition = t.isPartition() ? t.partitionTag() : "";
                if (t.isPartition() && (t.dimension() != owner.dimension()
                        || t.metricType() != owner.metricType())) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Milvus 1.x partition " + partition
                            + " (table " + t.tableId() + ") of collection " + name + " has dimension "
                            + t.dimension() + " and metric " + t.metricType() + ", its collection "
                            + owner.dimension() + " and " + owner.metricType());
                }
                if (t.isPartition() && partition.isEmpty()) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Milvus 1.x partition table "
                            + t.tableId() + " of collection " + name + " has no partition tag");
                }
                var segments = new ArrayList<>(filesByTable.getOrDefault(t.tableId(), List.of()));
                segments.sort(Comparator.comparing(Catalog.TableFile::segment));
                Set<String> seen = new LinkedHashSet<>();
                for (Catalog.TableFile f : segments) {
                    String segment = f.segment();
                    String where = "Milvus 1.x segment " + segment + " of collection " + name
                            + (t.isPartition() ? " (partition " + partition + ")" : "");
                    if (segment.isEmpty() || segment.contains("/") || segment.contains("\\")
                            || segment.equals("..")) {
                        throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": invalid segment id '"
                                + segment + "' in the catalogue");
                    }
                    if (!seen.add(segment)) {
                        throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": the catalogue lists"
                                + " more than one raw vector file for this segment");
                    }
                    SegmentFiles.Shape shape = SegmentFiles.inspect(where, store, t.tableId(), segment, rowBytes,
                            f.rowCount());
                    String id = t.tableId() + "/" + segment;
                    splits.add(new Milvus1Split(id, partition, where, owner.dimension(), binary, rowBytes,
                            shape.rows(), shape.liveRows()));
                    shapes.put(id, shape);
                    rows += shape.liveRows();
                }
            }
            var schema = CollectionSchema.builder(name).field(FieldSchema.int64Key(b.idField))
                    .field(binary ? FieldSchema.binaryVector(b.vectorField, owner.dimension(), metric)
                            : FieldSchema.floatVector(b.vectorField, owner.dimension(), metric)).build();
            out.add(new Entry(new SourceCollection(schema, rows), List.copyOf(splits), java.util.Map.copyOf(shapes),
                    Milvus1Indexes.of(owner.engineType(), owner.indexParams(), binary, metric)));
        }
        return out;
    }

    /** Whether a Milvus 1.x metric code is one of the binary metrics (HAMMING 3 ... SUPERSTRUCTURE 7). */
    static boolean isBinary(int metricCode) {
        return metricCode >= 3 && metricCode <= 7;
    }

    /** The Milvus 2.x metric of a Milvus 1.x metric code, or an error naming the collection. */
    static MetricType metric(String collection, int metricCode) {
        return switch (metricCode) {
            case 1 -> MetricType.L2;
            case 2 -> MetricType.IP;
            case 3 -> MetricType.HAMMING;
            case 4, 5 -> MetricType.JACCARD;   // TANIMOTO ranks as JACCARD on bit vectors
            case 6, 7 -> throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Milvus 1.x collection "
                    + collection + " uses metric " + (metricCode == 6 ? "SUBSTRUCTURE" : "SUPERSTRUCTURE")
                    + ", which Milvus 2.x does not have");
            default -> throw new MigrationException(ErrorCode.SOURCE_FORMAT, "Milvus 1.x collection " + collection
                    + " has unknown metric type code " + metricCode);
        };
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return description;
    }

    /** The index of the 1.x collection ({@code engine_type}, {@code index_params}), as Milvus 2.x names it. */
    @Override
    public java.util.Optional<io.milvus.migration.spi.IndexSpec> suggestedIndex(SourceCollection collection) {
        return entries.stream().filter(e -> e.collection().schema().name().equals(collection.schema().name()))
                .findFirst().flatMap(Entry::index);
    }

    @Override
    public List<SourceCollection> collections() {
        return entries.stream().map(Entry::collection).toList();
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        for (Entry e : entries) {
            if (e.collection().equals(collection)
                    || e.collection().schema().name().equals(collection.schema().name())) {
                return e.splits();
            }
        }
        throw new IllegalArgumentException("not a collection of this source: " + collection.schema().name());
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, io.milvus.migration.spi.Position.start(split.id()));
    }

    /** Continues a segment after a position's cursor, the physical row offset in its files. */
    @Override
    public SplitReader open(Split split, io.milvus.migration.spi.Position from) {
        if (!(split instanceof Milvus1Split s)) {
            throw new IllegalArgumentException("not a split of this source: " + split);
        }
        for (Entry e : entries) {
            SegmentFiles.Shape shape = e.shapes().get(s.id());
            if (shape != null && e.splits().contains(s)) {
                long row;
                try {
                    row = from.cursorAsLong();
                } catch (IllegalArgumentException ex) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, s.where() + ": " + ex.getMessage(), ex);
                }
                if (row > shape.rows() || from.rowsRead() > shape.liveRows()) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, s.where() + ": cannot continue after"
                            + " row " + row + " (" + from.rowsRead() + " live rows); it has " + shape.rows()
                            + " rows, " + shape.liveRows() + " live");
                }
                return new Milvus1SplitReader(s, shape, e.collection().schema(), row, from.rowsRead());
            }
        }
        throw new IllegalArgumentException("not a split of this source: " + split);
    }

    @Override
    public void close() {
        // nothing held open between reads but the storage a Milvus1SourceFactory created
        if (ownedStorage != null) {
            ownedStorage.close();
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * One segment of a collection or partition.
     *
     * @param id        {@code <table_id>/<segment_id>}, unique within the collection
     * @param partition the partition tag, "" for the collection's own segments
     * @param where     the segment named for messages
     * @param dimension vector dimension (bits for binary)
     * @param binary    whether vectors are binary
     * @param rowBytes  bytes of one vector in the {@code .rv}
     * @param rows      rows in its files, deleted ones included
     * @param liveRows  rows not deleted
     */
    record Milvus1Split(String id, String partition, String where, int dimension, boolean binary, int rowBytes,
                        long rows, long liveRows) implements Split {
        @Override
        public long estimatedRows() {
            return liveRows;
        }
    }

    /** Settings of a {@link Milvus1Source}; not thread-safe. */
    public static final class Builder {
        private Path directory;
        private Path sqliteMeta;
        private Path jsonMeta;
        private String mysqlUrl;
        private String mysqlUser;
        private String mysqlPassword;
        private Path tablesDirectory;
        private Storage tablesStorage;
        private String tablesPrefix;
        /** Closed with the source: the storage a factory created for it. */
        Storage ownedStorage;
        private Storage metaStorage;
        private String metaKey;
        private Set<String> collections;
        private String idField = "id";
        private String vectorField = "vector";

        private Builder() {
        }

        /**
         * The Milvus 1.x data directory (its {@code storage.path}), holding {@code db/meta.sqlite} and
         * {@code db/tables/}; a directory holding {@code meta.sqlite} and {@code tables/} directly works too.
         * Required unless a meta file is given. Default: none.
         */
        public Builder directory(Path directory) {
            this.directory = requireNonNull(directory, "directory is null");
            return this;
        }

        /**
         * A SQLite catalogue to read instead of {@code <directory>/db/meta.sqlite}; without {@link #directory},
         * segment files are looked for in {@code tables/} next to it. Default: none.
         */
        public Builder sqliteMeta(Path file) {
            this.sqliteMeta = requireNonNull(file, "file is null");
            return this;
        }

        /**
         * The {@code meta.json} exported by the Go {@code milvus-migration} tool, read instead of a SQLite
         * catalogue; without {@link #directory}, segment files are looked for in {@code tables/} next to it.
         * Default: none.
         */
        public Builder jsonMeta(Path file) {
            this.jsonMeta = requireNonNull(file, "file is null");
            return this;
        }

        /**
         * A MySQL or MariaDB catalogue (Milvus 1.x with {@code meta_uri: mysql://...}), read instead of a SQLite
         * one through the MariaDB driver; segment files are then looked for under {@link #directory} or
         * {@link #tablesDirectory}, one of which is required. The password is never logged, put into messages or
         * {@code toString()}. Default: none.
         *
         * @param jdbcUrl  {@code jdbc:mariadb://host:port/database} ({@code jdbc:mysql://...} works too), without
         *                 the password
         * @param user     the user; null to take it from the URL
         * @param password the password; null for none
         */
        public Builder mysqlMeta(String jdbcUrl, String user, String password) {
            this.mysqlUrl = requireNonNull(jdbcUrl, "jdbcUrl is null");
            this.mysqlUser = user;
            this.mysqlPassword = password;
            return this;
        }

        /**
         * {@link #mysqlMeta(String, String, String)} from the Go {@code milvus-migration} tool's
         * {@code meta.mysqlUrl}, a Go MySQL DSN such as
         * {@code user:password@tcp(localhost:3306)/milvus?charset=utf8mb4&parseTime=True&loc=Local} (tcp only; the
         * parameters after {@code ?} are Go-driver settings and are ignored).
         *
         * @throws MigrationException INVALID_CONFIG if it is not such a DSN (the message never quotes the password)
         */
        public Builder mysqlMetaDsn(String goDsn) {
            GoMysqlDsn dsn = GoMysqlDsn.parse(goDsn);
            return mysqlMeta(dsn.jdbcUrl(), dsn.user(), dsn.password());
        }

        /**
         * The directory holding {@code <table_id>/<segment_id>/} (the old tool's {@code tablesDir}). Default:
         * derived from the directory or meta file as described there.
         */
        public Builder tablesDirectory(Path directory) {
            this.tablesDirectory = requireNonNull(directory, "directory is null");
            return this;
        }

        /**
         * Reads the segment files through {@code storage} (an object store holding a copy of the {@code tables}
         * directory) instead of a local directory: file {@code f} of segment {@code s} of table {@code t} is the key
         * {@code <tablesPrefix>/<t>/<s>/<f>}, read with ranged reads. An alternative to {@link #tablesDirectory}
         * (setting both is INVALID_CONFIG); a {@link #directory} then only supplies the catalogue. Messages name the
         * storage's {@link Storage#describe()} and the key. The source does not close the storage. Default: none.
         *
         * @param tablesPrefix the key prefix of the table directories, such as {@code milvus/db/tables}; leading
         *                     and trailing '/' are ignored, "" for the storage's root
         */
        public Builder tables(Storage storage, String tablesPrefix) {
            this.tablesStorage = requireNonNull(storage, "storage is null");
            this.tablesPrefix = trimSlashes(requireNonNull(tablesPrefix, "tablesPrefix is null"));
            return this;
        }

        /**
         * The Go tool's {@code meta.json} read from {@code storage} (its {@code meta.mode: remote} with
         * {@code remoteMetaFile}), an alternative to {@link #jsonMeta(Path)}; without {@link #tables(Storage, String)},
         * {@link #tablesDirectory} or {@link #directory}, segment files are looked for under the key prefix
         * {@code tables/} next to it in the same storage. The source does not close the storage. Default: none.
         *
         * @param key the object's key; a leading '/' is ignored
         */
        public Builder jsonMeta(Storage storage, String key) {
            this.metaStorage = requireNonNull(storage, "storage is null");
            this.metaKey = trimSlashes(requireNonNull(key, "key is null"));
            return this;
        }

        private static String trimSlashes(String key) {
            int from = 0;
            int to = key.length();
            while (from < to && key.charAt(from) == '/') {
                from++;
            }
            while (to > from && key.charAt(to - 1) == '/') {
                to--;
            }
            return key.substring(from, to);
        }

        /** Only these collections (each must be live in the catalogue). Default: every live collection. */
        public Builder collections(String... names) {
            return collections(List.of(names));
        }

        /** Only these collections (each must be live in the catalogue). Default: every live collection. */
        public Builder collections(Collection<String> names) {
            var set = new LinkedHashSet<String>();
            for (String n : requireNonNull(names, "names is null")) {
                set.add(requireNonNull(n, "collection name is null"));
            }
            this.collections = set;
            return this;
        }

        /** Name of the id field. Default {@code id}. */
        public Builder idField(String name) {
            this.idField = requireNonNull(name, "name is null");
            return this;
        }

        /** Name of the vector field. Default {@code vector}. */
        public Builder vectorField(String name) {
            this.vectorField = requireNonNull(name, "name is null");
            return this;
        }

        /**
         * Reads the catalogue, checks every segment's files and returns the source.
         *
         * @throws MigrationException INVALID_CONFIG for missing or conflicting settings or an unknown collection,
         *                            SOURCE_IO for a missing catalogue or segment file, SOURCE_FORMAT for sizes
         *                            that do not match (naming the segment and the numbers), SOURCE_UNSUPPORTED
         *                            for metrics Milvus 2.x lacks
         */
        public Milvus1Source build() {
            if (idField.equals(vectorField)) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source: idField and vectorField"
                        + " are both " + idField);
            }
            if (tablesDirectory != null && tablesStorage != null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source: tablesDirectory and"
                        + " tables(storage, prefix) are alternatives; set one, not both");
            }
            if (metaStorage != null && metaKey.isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source: the meta.json key in "
                        + metaStorage.describe() + " is empty");
            }
            CatalogReader reader = reader();
            if (mysqlUrl != null && directory == null && tablesDirectory == null && tablesStorage == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source: with a MySQL catalogue,"
                        + " set 'directory', 'tablesDirectory' or 'tables' (where the segment files are)");
            }
            if (tablesStorage != null) {
                SegmentStore store = SegmentStore.storage(tablesStorage, tablesPrefix);
                return new Milvus1Source(this, reader, store.describe(), store);
            }
            if (metaStorage != null && directory == null && tablesDirectory == null) {
                int slash = metaKey.lastIndexOf('/');
                SegmentStore store = SegmentStore.storage(metaStorage,
                        (slash < 0 ? "" : metaKey.substring(0, slash + 1)) + "tables");
                return new Milvus1Source(this, reader, store.describe(), store);
            }
            Path tables = tablesDir();
            return new Milvus1Source(this, reader, String.valueOf(directory != null ? directory : tables.getParent()),
                    SegmentStore.local(tables));
        }

        /**
         * Reads the catalogue (not the segment files, which need not be present) and writes the live collections
         * to {@code file} as the Go {@code milvus-migration} tool's {@code meta.json}, for moving the data before
         * the catalogue: per collection its metric code, dimension, live rows and the segments holding raw vectors
         * (raw, to-index and backup files) with their rows and file size. Segments of partitions carry two keys
         * the Go tool does not write, {@code "collection"} set to the partition's table and {@code "partition"} to
         * its tag, so {@link #jsonMeta} restores the partitions (the Go tool reads them into the collection). Only
         * {@link #collections} filters; the other settings except the catalogue's are ignored.
         *
         * @return the collections written, in catalogue order, with their live rows
         * @throws MigrationException INVALID_CONFIG for missing or conflicting settings or an unknown collection,
         *                            SOURCE_IO if the catalogue cannot be read or the file cannot be written
         */
        public Map<String, Long> writeMetaJson(Path file) {
            requireNonNull(file, "file is null");
            if (jsonMeta != null || metaStorage != null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x meta.json export: the catalogue"
                        + " is already a meta.json; give a SQLite or MySQL catalogue");
            }
            return MetaJsonWriter.write(reader().read(), collections, file);
        }

        private CatalogReader reader() {
            int metas = (sqliteMeta != null ? 1 : 0) + (jsonMeta != null ? 1 : 0) + (mysqlUrl != null ? 1 : 0)
                    + (metaStorage != null ? 1 : 0);
            if (metas > 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source: sqliteMeta, mysqlMeta"
                        + " and jsonMeta are alternatives; set one, not both");
            }
            if (directory == null && sqliteMeta == null && jsonMeta == null && mysqlUrl == null
                    && metaStorage == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Milvus 1.x source: setting 'directory'"
                        + " (or a meta file or MySQL catalogue) is required");
            }
            if (jsonMeta != null) {
                return new JsonCatalogReader(jsonMeta);
            }
            if (metaStorage != null) {
                return new JsonCatalogReader(metaStorage, metaKey);
            }
            if (mysqlUrl != null) {
                return JdbcCatalogReader.mysql(mysqlUrl, mysqlUser, mysqlPassword);
            }
            return JdbcCatalogReader.sqlite(sqliteMeta != null ? sqliteMeta : dbDir().resolve("meta.sqlite"));
        }

        private Path dbDir() {
            return directory == null ? null
                    : Files.isDirectory(directory.resolve("db")) ? directory.resolve("db") : directory;
        }

        private Path tablesDir() {
            if (tablesDirectory != null) {
                return tablesDirectory;
            }
            if (directory != null) {
                return dbDir().resolve("tables");
            }
            Path meta = jsonMeta != null ? jsonMeta : sqliteMeta;
            return meta.toAbsolutePath().getParent().resolve("tables");
        }
    }
}
