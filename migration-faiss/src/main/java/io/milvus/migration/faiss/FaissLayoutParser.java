package io.milvus.migration.faiss;

import static io.milvus.migration.faiss.FaissErrors.format;
import static io.milvus.migration.faiss.FaissErrors.unsupported;

import io.milvus.migration.spi.MetricType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Parses the headers of a Faiss index file (the layout {@code faiss/impl/index_write.cpp} writes, little-endian)
 * into a {@link FaissLayout}. Reads headers only; every length is checked against the file size before anything is
 * allocated, so a corrupt length field fails at once instead of exhausting memory.
 */
final class FaissLayoutParser extends FaissParser {
    /** Index types whose raw vectors this reader recovers. */
    static final String SUPPORTED = "IxF2, IxFI, IxFl (IndexFlat), IxSQ (IndexScalarQuantizer), IxPq (IndexPQ),"
            + " IwFl (IndexIVFFlat), IwSq, IwSQ (IndexIVFScalarQuantizer), IwPQ (IndexIVFPQ), IHNf, IHNs, IHNp"
            + " (IndexHNSWFlat/SQ/PQ), IxRF (IndexRefine), IxMp, IxM2 (IndexIDMap/2)";

    private static final int METRIC_INNER_PRODUCT = 0;
    private static final int METRIC_L2 = 1;
    private static final int MAX_DIMENSION = 1 << 20;

    private FaissLayoutParser(SeekableByteChannel channel, FaissFile file) throws IOException {
        super(channel, file);
    }

    static FaissLayout parse(SeekableByteChannel channel, FaissFile file) throws IOException {
        return parse(channel, file, new FaissIndexFacts());
    }

    /** Parses the file, recording how its index searches into {@code facts}. */
    static FaissLayout parse(SeekableByteChannel channel, FaissFile file, FaissIndexFacts facts) throws IOException {
        var parser = new FaissLayoutParser(channel, file);
        FaissLayout layout = parser.index(true);
        if (parser.pos != parser.size) {
            throw format(file, parser.pos, "index ends here but the file has " + (parser.size - parser.pos)
                    + " more bytes");
        }
        copy(parser.facts, facts);
        return layout;
    }

    /** Reads one index; {@code outer} is false for indexes nested in another (IVF quantizer, ID-map inner index). */
    private FaissLayout index(boolean outer) throws IOException {
        long at = pos;
        String type = fourcc();
        switch (type) {
            case "IxF2", "IxFI", "IxFl" -> {
                facts.kind("FLAT");
                Header h = header();
                long at2 = pos;
                long floats = u64("vector size");
                if (floats != h.rows * h.dimension) {
                    throw format(file, at2, "Flat index holds " + floats + " floats, expected rows " + h.rows
                            + " × dimension " + h.dimension);
                }
                long offset = pos;
                skip(floats * Float.BYTES, "Flat vectors");
                return h.layout(type, offset, FaissDecoders.floats(h.dimension));
            }
            case "IxSQ" -> {
                facts.kind("SQ");
                Header h = header();
                FaissDecoder sq = scalarQuantizer(h, false);
                long offset = codes(h, sq.codeSize(), "scalar quantizer codes");
                return h.layout(type, offset, sq);
            }
            case "IxPq", "IxPQ", "IxPo" -> {
                facts.kind("PQ");
                Header h = header();
                FaissDecoder pq = productQuantizer(h);
                long offset = codes(h, pq.codeSize(), "product quantizer codes");
                if (!type.equals("IxPQ")) {
                    i32(); // search_type
                    i8(); // encode_signs
                    i32(); // polysemous_ht
                }
                // Faiss reads the two old formats as L2 whatever their header says
                Header fixed = type.equals("IxPq") ? h : new Header(h.dimension, h.rows, MetricType.L2, "METRIC_L2");
                return fixed.layout(type, offset, pq);
            }
            case "IwFl", "IwSq", "IwSQ", "IwPQ" -> {
                facts.kind(type.equals("IwFl") ? "IVF_FLAT" : type.equals("IwPQ") ? "IVF_PQ" : "IVF_SQ");
                return ivf(type);
            }
            case "IHNf", "IHNs", "IHNp" -> {
                facts.kind("HNSW");
                Header h = header();
                hnswGraph(h.rows);
                long storageAt = pos;
                FaissLayout storage = index(false);
                if (storage.isIvf() || storage.idMapOffset() >= 0 || storage.rows() != h.rows
                        || storage.dimension() != h.dimension) {
                    throw format(file, storageAt, "HNSW index of " + h.rows + " rows of dimension " + h.dimension
                            + " has a storage index " + storage.indexType() + " of " + storage.rows()
                            + " rows of dimension " + storage.dimension());
                }
                return storage.withType(type, h.metric, h.faissMetric, h.rows);
            }
            case "IxRF" -> {
                Header h = header();
                long baseAt = pos;
                FaissLayout base = index(false);
                long refineAt = pos;
                FaissLayout refine = index(false);
                i32(); // k_factor (float)
                if (base.rows() != h.rows || base.dimension() != h.dimension) {
                    throw format(file, baseAt, "refine index of " + h.rows + " rows of dimension " + h.dimension
                            + " has a base index of " + base.rows() + " rows of dimension " + base.dimension());
                }
                if (refine.rows() != h.rows || refine.dimension() != h.dimension) {
                    throw format(file, refineAt, "refine index of " + h.rows + " rows of dimension "
                            + h.dimension + " has a refine part of " + refine.rows() + " rows of dimension "
                            + refine.dimension());
                }
                if (refine.isIvf() || refine.idMapOffset() >= 0) {
                    throw unsupported(file, refineAt, "IndexRefine (IxRF) whose refine part is " + refine.indexType()
                            + "; this reader takes a refine part without inverted lists or ID map (such as"
                            + " IndexFlat): rebuild it with IndexRefineFlat, or migrate the refine index alone");
                }
                return refine.withType(type, h.metric, h.faissMetric, h.rows);
            }
            case "IxMp", "IxM2" -> {
                Header h = header();
                FaissLayout inner = index(false);
                long idsAt = pos;
                long count = u64("id map size");
                if (count != h.rows || inner.rows() != h.rows) {
                    throw format(file, idsAt, "ID map holds " + count + " ids for an index of " + h.rows
                            + " rows whose inner index has " + inner.rows());
                }
                if (inner.idMapOffset() >= 0) {
                    throw unsupported(file, at, "an ID map around another ID map");
                }
                long offset = pos;
                skip(count * Long.BYTES, "ID map ids");
                return new FaissLayout(inner.dimension(), h.rows, inner.metric(), type, inner.flatOffset(),
                        inner.listSizes(), inner.listOffsets(), offset, inner.decoder(), inner.faissMetric());
            }
            case "null" -> throw unsupported(file, at, "the index was written without "
                    + (outer ? "an index" : "the nested index (such as HNSW storage) that holds its vectors")
                    + ", so there are no vectors to migrate");
            default -> {
                if (!looksLikeFaissIndex(type)) {
                    throw format(file, at, "\"" + type + "\" followed by dimension " + int32At(pos)
                            + " is not the start of a Faiss index: not a Faiss index file?");
                }
                throw unsupported(file, at, "index type " + type + " is not supported"
                        + (outer ? "" : " inside another index") + hint(type) + "; this reader recovers vectors"
                        + " from " + SUPPORTED);
            }
        }
    }

    static void copy(FaissIndexFacts from, FaissIndexFacts to) {
        to.kind = from.kind;
        to.nlist = from.nlist;
        to.hnswM = from.hnswM;
        to.efConstruction = from.efConstruction;
        to.pqM = from.pqM;
        to.pqNbits = from.pqNbits;
    }

    /** What to do instead for index types that cannot give vectors back here. */
    private static String hint(String type) {
        return switch (type) {
            case "IxPT" -> " (IndexPreTransform: the vectors were stored after a transform such as PCA, OPQ or a"
                    + " rotation, which this reader does not invert; reconstruct them with Faiss"
                    + " (index.reconstruct_n) into an IndexFlat and migrate that)";
            case "IvPQ", "IvSQ", "IvFl", "IvFL" -> " (a legacy IVF format: read and write the index again with a"
                    + " current Faiss)";
            case "IwQR", "IvQR" -> " (IndexIVFPQR: migrate an IndexFlat of its reconstruct_n output instead)";
            default -> " (reconstruct the vectors with Faiss (index.reconstruct_n) into an IndexFlat and migrate"
                    + " that)";
        };
    }

    /** An IVF index with flat, scalar-quantized or product-quantized lists, from its header on. */
    private FaissLayout ivf(String type) throws IOException {
        Header h = header();
        long nlistAt = pos;
        long nlist = u64("nlist");
        if (facts.nlist == 0) {
            facts.nlist = nlist;
        }
        u64("nprobe");
        long quantizerAt = pos;
        FaissLayout quantizer = index(false);
        if (quantizer.dimension() != h.dimension || quantizer.rows() != nlist) {
            throw format(file, nlistAt, "IVF index of dimension " + h.dimension + " with " + nlist
                    + " lists has a quantizer of dimension " + quantizer.dimension() + " with "
                    + quantizer.rows() + " centroids");
        }
        directMap();
        FaissDecoder codes;
        boolean byResidual;
        switch (type) {
            case "IwFl" -> {
                codes = FaissDecoders.floats(h.dimension);
                byResidual = false;
            }
            case "IwSq", "IwSQ" -> {
                codes = scalarQuantizer(h, true); // null for QT_0bit
                long at = pos;
                long codeSize = u64("code size");
                if (codeSize != (codes == null ? 0 : codes.codeSize())) {
                    throw format(file, at, "IVF code size " + codeSize + " differs from the scalar quantizer's "
                            + (codes == null ? 0 : codes.codeSize()));
                }
                byResidual = type.equals("IwSQ") || bool("by_residual");
            }
            default -> { // IwPQ
                byResidual = bool("by_residual");
                long at = pos;
                long codeSize = u64("code size");
                codes = productQuantizer(h);
                if (codeSize != codes.codeSize()) {
                    throw format(file, at, "IVF code size " + codeSize + " differs from the product quantizer's "
                            + codes.codeSize());
                }
            }
        }
        if (codes == null) { // QT_0bit: Faiss gives each row its list's centroid
            Lists lists = invertedLists("IVF index", nlist, h.rows, 0);
            return new FaissLayout(h.dimension, h.rows, h.metric, type, -1, lists.sizes(), lists.offsets(), -1,
                    FaissDecoders.centroid(h.dimension, centroids(quantizer, quantizerAt)), h.faissMetric);
        }
        Lists lists = invertedLists("IVF index", nlist, h.rows, codes.codeSize());
        if (byResidual) {
            codes = FaissDecoders.residual(codes, h.dimension, centroids(quantizer, quantizerAt));
        }
        return new FaissLayout(h.dimension, h.rows, h.metric, type, -1, lists.sizes(), lists.offsets(), -1, codes,
                h.faissMetric);
    }

    /** The centroids of an IVF quantizer (nlist × d floats), as its own reconstruct gives them. */
    private float[] centroids(FaissLayout quantizer, long at) throws IOException {
        if (quantizer.isIvf() || quantizer.idMapOffset() >= 0) {
            throw unsupported(file, at, "an IVF index by residual whose quantizer is " + quantizer.indexType()
                    + "; this reader takes quantizers without inverted lists or ID map");
        }
        long floats = quantizer.rows() * quantizer.dimension();
        if (floats > Integer.MAX_VALUE - 8) {
            throw unsupported(file, at, "an IVF quantizer of " + quantizer.rows() + " centroids of dimension "
                    + quantizer.dimension() + " is more than this reader holds");
        }
        float[] out = new float[(int) floats];
        long codeSize = quantizer.codeSize();
        int step = (int) Math.max(1, Math.min(quantizer.rows(), (1 << 20) / Math.max(1, codeSize)));
        var buf = ByteBuffer.allocate((int) (step * codeSize)).order(ByteOrder.LITTLE_ENDIAN);
        for (long row = 0; row < quantizer.rows(); row += step) {
            int n = (int) Math.min(step, quantizer.rows() - row);
            buf.clear().limit((int) (n * codeSize));
            long p = quantizer.flatOffset() + row * codeSize;
            if (!readAt(p, buf)) {
                throw format(file, p, "file is truncated in the IVF quantizer's centroids");
            }
            buf.flip();
            quantizer.decoder().decode(buf, n, -1, out, (int) (row * quantizer.dimension()));
        }
        return out;
    }

    /** A u64 byte count of {@code rows × codeSize} followed by the codes; returns the codes' offset. */
    private long codes(Header h, long codeSize, String what) throws IOException {
        long at = pos;
        long bytes = u64(what + " size");
        if (bytes != h.rows * codeSize) {
            throw format(file, at, what + ": " + bytes + " bytes, expected rows " + h.rows + " × code size "
                    + codeSize);
        }
        long offset = pos;
        skip(bytes, what);
        return offset;
    }

    /** A {@code ScalarQuantizer}: type, range statistic, dimension, code size and trained ranges. */
    private FaissDecoder scalarQuantizer(Header h, boolean inIvf) throws IOException {
        long at = pos;
        int qtype = i32();
        i32(); // rangestat
        i32(); // rangestat_arg (float)
        long dAt = pos;
        long d = u64("scalar quantizer dimension");
        long codeSize = u64("scalar quantizer code size");
        if (qtype < 0) {
            throw format(file, at, "scalar quantizer type " + qtype + " is negative");
        }
        if (qtype >= FaissDecoders.QT_NAMES.length) {
            throw unsupported(file, at, "scalar quantizer type " + qtype + " is not supported; this reader decodes "
                    + String.join(", ", FaissDecoders.QT_NAMES) + ": reconstruct the vectors with Faiss"
                    + " (index.reconstruct_n) into an IndexFlat and migrate that");
        }
        if (qtype == FaissDecoders.QT_0BIT && !inIvf) {
            throw unsupported(file, at, "scalar quantizer type " + qtype + " (QT_0bit) keeps no vector data outside"
                    + " an IVF index, so there are no vectors to migrate");
        }
        if (d != h.dimension) {
            throw format(file, dAt, "scalar quantizer of dimension " + d + " in an index of dimension "
                    + h.dimension);
        }
        if (codeSize != FaissDecoders.sqCodeSize(qtype, d)) {
            throw format(file, dAt + 8, "scalar quantizer " + FaissDecoders.QT_NAMES[qtype] + " of dimension " + d
                    + " has code size " + codeSize + ", expected " + FaissDecoders.sqCodeSize(qtype, d));
        }
        long trainedAt = pos;
        long n = u64("scalar quantizer trained size");
        long want = FaissDecoders.sqTrainedSize(qtype, d);
        if (n != want && !(n == 0 && h.rows == 0)) {
            throw format(file, trainedAt, "scalar quantizer " + FaissDecoders.QT_NAMES[qtype] + " of dimension "
                    + d + " holds " + n + " trained values, expected " + want);
        }
        float[] trained = floats(n, "scalar quantizer trained values");
        return qtype == FaissDecoders.QT_0BIT ? null : FaissDecoders.scalar(qtype, h.dimension, trained);
    }

    /** A {@code ProductQuantizer}: dimension, sub-quantizers, bits per code and centroids. */
    private FaissDecoder productQuantizer(Header h) throws IOException {
        long at = pos;
        long d = u64("product quantizer dimension");
        long m = u64("product quantizer M");
        long nbits = u64("product quantizer nbits");
        if (facts.pqM == 0) {
            facts.pqM = (int) Math.min(Integer.MAX_VALUE, m);
            facts.pqNbits = (int) Math.min(Integer.MAX_VALUE, nbits);
        }
        if (d != h.dimension || m < 1 || d % m != 0 || nbits < 1 || nbits > 24) {
            throw format(file, at, "product quantizer of dimension " + d + " with M " + m + " and nbits " + nbits
                    + " does not fit an index of dimension " + h.dimension);
        }
        long centroidsAt = pos;
        long n = u64("product quantizer centroids size");
        if (n != d << nbits) {
            throw format(file, centroidsAt, "product quantizer holds " + n + " centroid floats, expected "
                    + "dimension " + d + " × 2^" + nbits);
        }
        float[] centroids = floats(n, "product quantizer centroids");
        return FaissDecoders.product((int) d, (int) m, (int) nbits, centroids);
    }

    /**
     * Whether an unknown four-character code is plausibly a Faiss index type (every Faiss index code starts with
     * {@code I} and is followed by the dimension), so that other files are format errors rather than unsupported.
     */
    private boolean looksLikeFaissIndex(String type) throws IOException {
        long d = int32At(pos);
        return type.charAt(0) == 'I' && d > 0 && d <= MAX_DIMENSION;
    }

    private record Header(int dimension, long rows, MetricType metric, String faissMetric) {
        FaissLayout layout(String type, long offset, FaissDecoder decoder) {
            return new FaissLayout(dimension, rows, metric, type, offset, new long[0], new long[0], -1, decoder,
                    faissMetric);
        }
    }

    private Header header() throws IOException {
        long at = pos;
        int d = i32();
        long rows = i64();
        i64();
        i64();
        i8();
        long metricAt = pos;
        int metric = i32();
        float arg = metric > 1 ? Float.intBitsToFloat(i32()) : 0;
        if (d <= 0 || d > MAX_DIMENSION) {
            throw format(file, at, "dimension " + d + " is out of range 1.." + MAX_DIMENSION);
        }
        if (rows < 0) {
            throw format(file, at + 4, "row count " + rows + " is negative");
        }
        // every index type read here stores at least one byte per row
        if (rows > size - pos) {
            throw format(file, at + 4, "row count " + rows + " cannot fit the " + (size - pos)
                    + " bytes left in the file");
        }
        String name = switch (metric) {
            case METRIC_INNER_PRODUCT -> "METRIC_INNER_PRODUCT";
            case METRIC_L2 -> "METRIC_L2";
            case 2 -> "METRIC_L1";
            case 3 -> "METRIC_Linf";
            case 4 -> "METRIC_Lp (p = " + arg + ")";
            case 20 -> "METRIC_Canberra";
            case 21 -> "METRIC_BrayCurtis";
            case 22 -> "METRIC_JensenShannon";
            case 23 -> "METRIC_Jaccard";
            case 24 -> "METRIC_NaNEuclidean";
            case 25 -> "METRIC_GOWER";
            default -> throw format(file, metricAt, "Faiss metric type " + metric + " is not one Faiss defines");
        };
        MetricType mt = switch (metric) {
            case METRIC_INNER_PRODUCT -> MetricType.IP;
            case METRIC_L2 -> MetricType.L2;
            default -> null;
        };
        return new Header(d, rows, mt, name);
    }
}
