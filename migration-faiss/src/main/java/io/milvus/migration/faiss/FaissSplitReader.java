package io.milvus.migration.faiss;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import java.util.Optional;

/** Streams the float rows of one {@link FaissSource.FaissSplit}, decoding codes as Faiss's {@code reconstruct}. */
final class FaissSplitReader extends FaissRowReader {
    private final FaissLayout layout;

    FaissSplitReader(FaissFile file, FaissLayout layout, CollectionSchema schema, FaissSource.FaissSplit split,
                     FaissIdMap idMap) {
        super(file, schema, split, idMap, layout.flatOffset(), layout.listSizes(), layout.listOffsets(),
                layout.idMapOffset(), (int) layout.codeSize());
        this.layout = layout;
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        int n = rowsLeft(maxRows);
        if (n <= 0) {
            return Optional.empty();
        }
        int dim = layout.dimension();
        if (stored()) {
            return Optional.of(readStored(n, DataType.FLOAT_VECTOR, dim));
        }
        float[] vectors = new float[n * dim];
        long[] ids = readRows(n, (codes, k, list, at) -> layout.decoder().decode(codes, k, list, vectors, at * dim));
        return Optional.of(batch(ids, new Column.FloatVectors(dim, vectors)));
    }

    @Override
    protected boolean codesAreVectors() {
        return layout.decoder().codesAreFloats();
    }
}
