package io.milvus.migration.faiss;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import java.util.Optional;

/** Streams the rows of one split of a binary index: the codes as stored, dimension / 8 bytes a row. */
final class FaissBinarySplitReader extends FaissRowReader {
    private final FaissBinaryLayoutParser.Layout layout;

    FaissBinarySplitReader(FaissFile file, FaissBinaryLayoutParser.Layout layout, CollectionSchema schema,
                           FaissSource.FaissSplit split, FaissIdMap idMap) {
        super(file, schema, split, idMap, layout.flatOffset(), layout.listSizes(), layout.listOffsets(),
                layout.idMapOffset(), layout.codeSize());
        this.layout = layout;
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        int width = layout.codeSize();
        int n = Math.min(rowsLeft(maxRows), (Integer.MAX_VALUE - 8) / width);
        if (n <= 0) {
            return Optional.empty();
        }
        if (stored()) {
            return Optional.of(readStored(n, DataType.BINARY_VECTOR, layout.dimension()));
        }
        byte[] codes = new byte[n * width];
        long[] ids = readRows(n, (buf, k, list, at) -> buf.get(codes, at * width, k * width));
        return Optional.of(batch(ids, new Column.BinaryVectors(layout.dimension(), codes)));
    }

    @Override
    protected boolean codesAreVectors() {
        return true; // binary codes are stored as Milvus takes them
    }
}
