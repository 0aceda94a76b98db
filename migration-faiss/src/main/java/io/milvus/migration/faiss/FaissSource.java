package io.milvus.migration.faiss;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Faiss index file as a source of one collection with fields {@code id} (INT64: the Faiss id, or the row number
 * when the index has none) and {@code vector} (FLOAT_VECTOR of the index's dimension, with the index's metric).
 * Reads IndexFlat, IndexScalarQuantizer, IndexPQ, IndexIVFFlat, IndexIVFScalarQuantizer, IndexIVFPQ,
 * IndexHNSWFlat/SQ/PQ, IndexRefine and IndexIDMap/IndexIDMap2 around them; vectors are bit for bit what Faiss's
 * {@code reconstruct} returns. Indexes with a metric Milvus lacks need {@link Builder#metric}. Binary indexes (IndexBinaryFlat, IndexBinaryIVF, IndexBinaryIDMap/2, IndexBinaryHNSW) give a
 * BINARY_VECTOR field of their dimension in bits, with metric HAMMING or the one set by
 * {@link Builder#binaryMetric}. The file is parsed when the source is built; rows are streamed when read.
 *
 * <p>The file is local ({@link Builder#file}) or an object in any {@link Storage} ({@link Builder#storage}, such
 * as S3, GCS or Azure Blob): the same reader serves both, with ranged reads. Parsing reads the headers in a few
 * reads of up to 64 KiB and skips the codes; each split reader reads its rows in whole batches.
 *
 * <pre>{@code
 * Source source = FaissSource.builder().file(Path.of("vectors.index")).collection("docs").build();
 * Source remote = FaissSource.builder().storage(bucket, "exports/vectors.index").build();
 * }</pre>
 */
public final class FaissSource implements Source {
    private final FaissFile file;
    private final FaissLayout layout;
    private final CollectionSchema schema;
    private final long splitBytes;
    /** The storage to close with this source: one a {@link FaissSourceFactory} created; else null. */
    private final Storage ownedStorage;
    private FaissIdMap idMap;
    /** Set for binary indexes ({@code IB..} codes), whose reading {@link FaissBinaryIndex} does; layout is null. */
    private final FaissBinaryIndex binary;
    /** How the file's index searches, for {@link #suggestedIndex}. */
    private final FaissIndexFacts facts = new FaissIndexFacts();

    private FaissSource(Builder b) {
        this.file = b.file != null ? FaissFile.of(b.file) : FaissFile.of(b.storage, b.key);
        this.splitBytes = b.splitBytes;
        this.ownedStorage = b.ownStorage ? b.storage : null;
        FaissLayout parsed = null;
        FaissBinaryIndex bin = null;
        try (SeekableByteChannel ch = file.open()) {
            if (isBinary(ch)) {
                bin = new FaissBinaryIndex(file, FaissBinaryLayoutParser.parse(ch, file, facts), splitBytes);
            } else {
                parsed = FaissLayoutParser.parse(ch, file, facts);
            }
        } catch (IOException e) {
            throw file.readError(e);
        }
        this.binary = bin;
        this.layout = parsed;
        if (binary != null) {
            this.schema = binarySchema(b);
            return;
        }
        if (b.dimension > 0 && b.dimension != layout.dimension()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "dimension " + b.dimension
                    + " was configured but Faiss file " + file + " holds vectors of dimension "
                    + layout.dimension());
        }
        MetricType metric = b.metric != null ? b.metric : layout.metric();
        if (metric == null) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Faiss file " + file + " uses metric "
                    + layout.faissMetric() + ", which Milvus has no counterpart for: set the collection's metric"
                    + " with FaissSource.builder().metric(...) (L2, IP or COSINE)");
        }
        if (layout.idMapOffset() >= 0) {
            FaissIdCheck.requireUnique(file, layout.idMapOffset(), layout.rows());
        }
        String name = b.collection != null ? b.collection : defaultName(file.fileName());
        this.schema = CollectionSchema.builder(name).description(b.description)
                .field(FieldSchema.int64Key(b.idField))
                .field(FieldSchema.floatVector(b.vectorField, layout.dimension(), metric)).build();
    }

    private CollectionSchema binarySchema(Builder b) {
        int bits = binary.layout().dimension();
        if (b.dimension > 0 && b.dimension != bits) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "dimension " + b.dimension
                    + " was configured but Faiss file " + file + " holds binary vectors of dimension " + bits);
        }
        if (binary.layout().idMapOffset() >= 0) {
            FaissIdCheck.requireUnique(file, binary.layout().idMapOffset(), binary.layout().rows());
        }
        String name = b.collection != null ? b.collection : defaultName(file.fileName());
        return CollectionSchema.builder(name).description(b.description).field(FieldSchema.int64Key(b.idField))
                .field(FieldSchema.binaryVector(b.vectorField, bits, b.binaryMetric)).build();
    }

    /** Whether the file starts with a binary index code ({@code IB..}); false if it is shorter than that. */
    private static boolean isBinary(SeekableByteChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4);
        return FaissFile.readFully(ch, 0, head)
                && FaissBinaryLayoutParser.isBinaryCode(new String(head.array(), StandardCharsets.ISO_8859_1));
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return "faiss:" + file;
    }

    @Override
    public List<SourceCollection> collections() {
        return List.of(new SourceCollection(schema, binary != null ? binary.layout().rows() : layout.rows()));
    }

    /**
     * The Milvus index that searches as this file's index does, with the collection's metric: IndexIVFFlat with
     * nlist n gives IVF_FLAT with nlist n; IndexHNSW* gives HNSW with the same M and efConstruction; IndexFlat
     * gives FLAT; IndexIVFScalarQuantizer and IndexIVFPQ give IVF_SQ8 and IVF_PQ with nlist (and m, nbits);
     * IndexScalarQuantizer and IndexPQ give IVF_SQ8 / IVF_PQ with nlist 1 (one list: every code scanned, as they
     * do); IndexBinaryIVF gives BIN_IVF_FLAT with nlist, other binary indexes BIN_FLAT. An ID map or IndexRefine
     * takes the index inside it.
     */
    @Override
    public java.util.Optional<io.milvus.migration.spi.IndexSpec> suggestedIndex(SourceCollection collection) {
        var vector = collection.schema().fields().stream().filter(f -> f.type().isVector()).findFirst();
        return vector.flatMap(v -> facts.suggestion(v.metric()));
    }

    /** The four-character code of the file's outermost index, such as {@code IwFl}. */
    public String indexType() {
        return binary != null ? binary.layout().indexType() : layout.indexType();
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        if (binary != null) {
            return binary.splits();
        }
        return plan(layout.isIvf(), layout.rows(), layout.listSizes(), layout.vectorBytes(), splitBytes);
    }

    /**
     * Cuts an index into splits of about {@code splitBytes} (counting {@code rowBytes} a row): row ranges of a flat
     * index, or groups of consecutive non-empty inverted lists of an IVF index.
     */
    static List<Split> plan(boolean ivf, long rows, long[] listSizes, long rowBytes, long splitBytes) {
        var splits = new ArrayList<Split>();
        if (!ivf) {
            long rowsPerSplit = Math.max(1, splitBytes / rowBytes);
            for (long from = 0; from < rows; from += rowsPerSplit) {
                long to = Math.min(rows, from + rowsPerSplit);
                splits.add(new FaissSplit("rows-" + from + "-" + to, from, to, 0, 0));
            }
            return splits;
        }
        int first = 0;
        long inSplit = 0;
        for (int i = 0; i < listSizes.length; i++) {
            inSplit += listSizes[i];
            boolean last = i == listSizes.length - 1;
            if (inSplit > 0 && (inSplit * rowBytes >= splitBytes || last)) {
                splits.add(new FaissSplit("lists-" + first + "-" + (i + 1), 0, inSplit, first, i + 1));
                first = i + 1;
                inSplit = 0;
            } else if (inSplit == 0) {
                first = i + 1;
            }
        }
        return splits;
    }

    @Override
    public SplitReader open(Split split) {
        return reader(split);
    }

    /** Continues a split after a position's cursor, its row offset inside the split. */
    @Override
    public SplitReader open(Split split, Position from) {
        FaissRowReader reader = reader(split);
        try {
            return reader.startAt(from.cursorAsLong());
        } catch (RuntimeException e) {
            reader.close();
            if (e instanceof IllegalArgumentException) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
            }
            throw e;
        }
    }

    private FaissRowReader reader(Split split) {
        if (!(split instanceof FaissSplit fs)) {
            throw new IllegalArgumentException("not a split of this source: " + split);
        }
        if (binary != null) {
            return binary.open(fs, schema, binary.needsIdMap()
                    ? idMap(binary.layout().idMapOffset(), binary.layout().rows(), "a binary IVF index") : null);
        }
        return new FaissSplitReader(file, layout, schema, fs, layout.isIvf() && layout.idMapOffset() >= 0
                ? idMap(layout.idMapOffset(), layout.rows(), "an IVF index") : null);
    }

    /** Loads the ID map of an ID-mapped IVF index once: its lists hold row numbers into it (8 bytes a row). */
    private synchronized FaissIdMap idMap(long offset, long rows, String around) {
        if (idMap == null) {
            idMap = FaissIdMap.load(file, offset, rows, around);
        }
        return idMap;
    }

    /** Closes the storage if a {@link FaissSourceFactory} created it; nothing else is held open between reads. */
    @Override
    public void close() {
        if (ownedStorage != null) {
            ownedStorage.close();
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String defaultName(String fileName) {
        String name = fileName.replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_]", "_");
        return name.isEmpty() || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_' ? "c_" + name : name;
    }

    /**
     * A part of the file: rows {@code [fromRow, toRow)} of a Flat index, or inverted lists {@code [fromList,
     * toList)} of an IVF index ({@code toRow} then holds their row count).
     */
    record FaissSplit(String id, long fromRow, long toRow, int fromList, int toList) implements Split {
        @Override
        public long estimatedRows() {
            return toRow - fromRow;
        }
    }

    /** Settings of a {@link FaissSource}; not thread-safe. */
    public static final class Builder {
        private Path file;
        private Storage storage;
        private String key;
        private boolean ownStorage;
        private String collection;
        private String description = "";
        private String idField = "id";
        private String vectorField = "vector";
        private int dimension;
        private long splitBytes = 64L << 20;
        private MetricType binaryMetric = MetricType.HAMMING;
        private MetricType metric;

        private Builder() {
        }

        /** The index file on the local file system. This or {@link #storage} is required. */
        public Builder file(Path file) {
            this.file = requireNonNull(file, "file is null");
            return this;
        }

        /**
         * The index file as the object {@code key} in {@code storage} (S3, GCS, Azure Blob or local), read with
         * {@link Storage#openSeekable} in ranged reads; instead of {@link #file}. The caller keeps ownership: the
         * source does not close the storage. Errors name {@code storage.describe()} and the key.
         */
        public Builder storage(Storage storage, String key) {
            this.storage = requireNonNull(storage, "storage is null");
            this.key = requireNonNull(key, "key is null");
            this.ownStorage = false;
            return this;
        }

        /** Like {@link #storage(Storage, String)}, closing the storage when the source is closed. */
        Builder ownedStorage(Storage storage, String key) {
            storage(storage, key);
            this.ownStorage = true;
            return this;
        }

        /** Collection name. Default: the file (or key) name without extension. */
        public Builder collection(String name) {
            this.collection = requireNonNull(name, "name is null");
            return this;
        }

        /** Collection description. Default "". */
        public Builder description(String description) {
            this.description = requireNonNull(description, "description is null");
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

        /** The dimension the caller expects; building fails if the file differs. Default: none (0). */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /**
         * The metric of the vector field when the file holds a binary index ({@code IndexBinary*}, whose files
         * carry no usable metric): {@link MetricType#HAMMING} (default) or {@link MetricType#JACCARD}. Ignored
         * for float indexes.
         */
        public Builder binaryMetric(MetricType metric) {
            requireNonNull(metric, "metric is null");
            if (metric != MetricType.HAMMING && metric != MetricType.JACCARD) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "binaryMetric must be HAMMING or JACCARD: "
                        + metric);
            }
            this.binaryMetric = metric;
            return this;
        }

        /**
         * The metric of the vector field for a float index, instead of the file's: needed when the index uses a
         * Faiss metric Milvus lacks (such as METRIC_L1), and allowed to override L2 or IP. L2, IP or COSINE.
         * Default: the file's metric.
         */
        public Builder metric(MetricType metric) {
            requireNonNull(metric, "metric is null");
            if (metric != MetricType.L2 && metric != MetricType.IP && metric != MetricType.COSINE) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "metric of a float vector must be L2, IP or"
                        + " COSINE: " + metric);
            }
            this.metric = metric;
            return this;
        }

        /** Approximate vector bytes per split (splits are read in parallel). Default 64 MiB. */
        public Builder splitBytes(long bytes) {
            if (bytes < 1) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "splitBytes must be >= 1: " + bytes);
            }
            this.splitBytes = bytes;
            return this;
        }

        /**
         * Parses the file's headers and returns the source.
         *
         * @throws MigrationException {@code INVALID_CONFIG} unless exactly one of {@code file} and {@code storage}
         *                            is set, {@code SOURCE_IO} if the file cannot be read, {@code SOURCE_FORMAT} if
         *                            it is not a valid Faiss index, {@code SOURCE_UNSUPPORTED} for index types
         *                            without raw vectors (the message names the four-character code)
         */
        public FaissSource build() {
            if (file == null && storage == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Faiss source: setting 'file' or 'storage'"
                        + " is required");
            }
            if (file != null && storage != null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Faiss source: set either 'file' or"
                        + " 'storage', not both (file " + file + ", storage " + storage.describe() + " key " + key
                        + ")");
            }
            return new FaissSource(this);
        }
    }
}
