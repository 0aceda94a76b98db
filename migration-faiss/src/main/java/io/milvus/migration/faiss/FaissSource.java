package io.milvus.migration.faiss;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * <pre>{@code
 * Source source = FaissSource.builder().file(Path.of("vectors.index")).collection("docs").build();
 * }</pre>
 */
public final class FaissSource implements Source {
    private final Path file;
    private final FaissLayout layout;
    private final CollectionSchema schema;
    private final long splitBytes;
    private FaissSplitReader.IdMap idMap;
    /** Set for binary indexes ({@code IB..} codes), whose reading {@link FaissBinaryIndex} does; layout is null. */
    private final FaissBinaryIndex binary;

    private FaissSource(Builder b) {
        this.file = b.file;
        this.splitBytes = b.splitBytes;
        this.binary = FaissBinaryIndex.openIfBinary(file, splitBytes);
        if (binary != null) {
            this.layout = null;
            this.schema = binarySchema(b);
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            this.layout = FaissLayoutParser.parse(ch, file);
        } catch (NoSuchFileException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "Faiss file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Faiss file " + file + ": " + e, e);
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
        String name = b.collection != null ? b.collection : defaultName(file);
        this.schema = new CollectionSchema(name, b.description, List.of(
                FieldSchema.int64Key(b.idField),
                FieldSchema.floatVector(b.vectorField, layout.dimension(), metric)));
    }

    private CollectionSchema binarySchema(Builder b) {
        int bits = binary.layout().dimension();
        if (b.dimension > 0 && b.dimension != bits) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "dimension " + b.dimension
                    + " was configured but Faiss file " + file + " holds binary vectors of dimension " + bits);
        }
        String name = b.collection != null ? b.collection : defaultName(file);
        return new CollectionSchema(name, b.description, List.of(FieldSchema.int64Key(b.idField),
                FieldSchema.binaryVector(b.vectorField, bits, b.binaryMetric)));
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

    /** The four-character code of the file's outermost index, such as {@code IwFl}. */
    public String indexType() {
        return binary != null ? binary.layout().indexType() : layout.indexType();
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        if (binary != null) {
            return binary.splits();
        }
        var splits = new ArrayList<Split>();
        if (!layout.isIvf()) {
            long rowsPerSplit = Math.max(1, splitBytes / layout.vectorBytes());
            for (long from = 0; from < layout.rows(); from += rowsPerSplit) {
                long to = Math.min(layout.rows(), from + rowsPerSplit);
                splits.add(new FaissSplit("rows-" + from + "-" + to, from, to, 0, 0));
            }
            return splits;
        }
        // Consecutive inverted lists grouped into splits of about splitBytes.
        long[] sizes = layout.listSizes();
        int first = 0;
        long rows = 0;
        for (int i = 0; i < sizes.length; i++) {
            rows += sizes[i];
            boolean last = i == sizes.length - 1;
            if (rows > 0 && (rows * layout.vectorBytes() >= splitBytes || last)) {
                splits.add(new FaissSplit("lists-" + first + "-" + (i + 1), 0, rows, first, i + 1));
                first = i + 1;
                rows = 0;
            } else if (rows == 0) {
                first = i + 1;
            }
        }
        return splits;
    }

    @Override
    public SplitReader open(Split split) {
        if (!(split instanceof FaissSplit fs)) {
            throw new IllegalArgumentException("not a split of this source: " + split);
        }
        if (binary != null) {
            return binary.open(fs, schema);
        }
        return new FaissSplitReader(file, layout, schema, fs, layout.isIvf() && layout.idMapOffset() >= 0
                ? idMap() : null);
    }

    /** Loads the ID map of an IDMap-wrapped IVF index once: its lists hold row numbers into it (8 bytes a row). */
    private synchronized FaissSplitReader.IdMap idMap() {
        if (idMap == null) {
            long rows = layout.rows();
            if (rows > Integer.MAX_VALUE - 8) {
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Faiss file " + file + ": an ID map of "
                        + rows + " rows around an IVF index is more than this reader holds");
            }
            long[] ids = new long[(int) rows];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                var buf = java.nio.ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                int filled = 0;
                long at = layout.idMapOffset();
                while (filled < ids.length) {
                    buf.clear().limit((int) Math.min(buf.capacity(), (long) (ids.length - filled) * Long.BYTES));
                    while (buf.hasRemaining()) {
                        int r = ch.read(buf, at);
                        if (r < 0) {
                            throw FaissErrors.format(file, at, "file ended inside the ID map");
                        }
                        at += r;
                    }
                    buf.flip();
                    int n = buf.remaining() / Long.BYTES;
                    buf.asLongBuffer().get(ids, filled, n);
                    filled += n;
                }
            } catch (IOException e) {
                throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Faiss file " + file + ": " + e, e);
            }
            idMap = new FaissSplitReader.IdMap(file, ids);
        }
        return idMap;
    }

    @Override
    public void close() {
        // nothing held open between reads
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String defaultName(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_]", "_");
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

        /** The index file. Required. */
        public Builder file(Path file) {
            this.file = requireNonNull(file, "file is null");
            return this;
        }

        /** Collection name. Default: the file name without extension. */
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
         * @throws MigrationException {@code SOURCE_IO} if the file cannot be read, {@code SOURCE_FORMAT} if it is
         *                            not a valid Faiss index, {@code SOURCE_UNSUPPORTED} for index types without
         *                            raw vectors (the message names the four-character code)
         */
        public FaissSource build() {
            if (file == null) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "Faiss source: setting 'file' is required");
            }
            return new FaissSource(this);
        }
    }
}
