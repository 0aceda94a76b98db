package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary-index side of a {@link FaissSource}: the parsed layout of an {@code IB..} file, its splits (row ranges
 * of flat codes, groups of inverted lists for IVF) and their readers.
 */
final class FaissBinaryIndex {
    private final Path file;
    private final FaissBinaryLayoutParser.Layout layout;
    private final long splitBytes;
    private FaissSplitReader.IdMap idMap;

    FaissBinaryIndex(Path file, FaissBinaryLayoutParser.Layout layout, long splitBytes) {
        this.file = file;
        this.layout = layout;
        this.splitBytes = splitBytes;
    }

    /**
     * Parses the file as a binary index if its first four bytes are a binary index code ({@code IB..}); null when
     * they are not (or the file is missing or shorter than four bytes), leaving the error to the float parser.
     */
    static FaissBinaryIndex openIfBinary(Path file, long splitBytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4);
            while (head.hasRemaining()) {
                if (ch.read(head, head.position()) < 0) {
                    return null;
                }
            }
            String code = new String(head.array(), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!FaissBinaryLayoutParser.isBinaryCode(code)) {
                return null;
            }
            return new FaissBinaryIndex(file, FaissBinaryLayoutParser.parse(ch, file), splitBytes);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Faiss file " + file + ": " + e, e);
        }
    }

    FaissBinaryLayoutParser.Layout layout() {
        return layout;
    }

    List<Split> splits() {
        var splits = new ArrayList<Split>();
        long rowBytes = layout.codeSize();
        if (!layout.isIvf()) {
            long rowsPerSplit = Math.max(1, splitBytes / rowBytes);
            for (long from = 0; from < layout.rows(); from += rowsPerSplit) {
                long to = Math.min(layout.rows(), from + rowsPerSplit);
                splits.add(new FaissSource.FaissSplit("rows-" + from + "-" + to, from, to, 0, 0));
            }
            return splits;
        }
        long[] sizes = layout.listSizes();
        int first = 0;
        long rows = 0;
        for (int i = 0; i < sizes.length; i++) {
            rows += sizes[i];
            boolean last = i == sizes.length - 1;
            if (rows > 0 && (rows * rowBytes >= splitBytes || last)) {
                splits.add(new FaissSource.FaissSplit("lists-" + first + "-" + (i + 1), 0, rows, first, i + 1));
                first = i + 1;
                rows = 0;
            } else if (rows == 0) {
                first = i + 1;
            }
        }
        return splits;
    }

    SplitReader open(FaissSource.FaissSplit split, CollectionSchema schema) {
        return new FaissBinarySplitReader(file, layout, schema, split,
                layout.isIvf() && layout.idMapOffset() >= 0 ? idMap() : null);
    }

    /** Loads the ID map of an ID-mapped IVF index once: its lists hold row numbers into it. */
    private synchronized FaissSplitReader.IdMap idMap() {
        if (idMap == null) {
            long rows = layout.rows();
            if (rows > Integer.MAX_VALUE - 8) {
                throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Faiss file " + file + ": an ID map of "
                        + rows + " rows around a binary IVF index is more than this reader holds");
            }
            long[] ids = new long[(int) rows];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                var buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
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
}
