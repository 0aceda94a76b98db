package io.milvus.migration.faiss;

import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.util.List;

/**
 * The binary-index side of a {@link FaissSource}: the parsed layout of an {@code IB..} file, its splits (row ranges
 * of flat codes, groups of inverted lists for IVF) and their readers.
 */
final class FaissBinaryIndex {
    private final FaissFile file;
    private final FaissBinaryLayoutParser.Layout layout;
    private final long splitBytes;

    FaissBinaryIndex(FaissFile file, FaissBinaryLayoutParser.Layout layout, long splitBytes) {
        this.file = file;
        this.layout = layout;
        this.splitBytes = splitBytes;
    }

    FaissBinaryLayoutParser.Layout layout() {
        return layout;
    }

    List<Split> splits() {
        return FaissSource.plan(layout.isIvf(), layout.rows(), layout.listSizes(), layout.codeSize(), splitBytes);
    }

    /** Whether list entries are row numbers into an ID map that readers need loaded. */
    boolean needsIdMap() {
        return layout.isIvf() && layout.idMapOffset() >= 0;
    }

    FaissRowReader open(FaissSource.FaissSplit split, CollectionSchema schema, FaissIdMap idMap) {
        return new FaissBinarySplitReader(file, layout, schema, split, idMap);
    }
}
