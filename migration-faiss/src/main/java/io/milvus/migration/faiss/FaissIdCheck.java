package io.milvus.migration.faiss;

import java.util.Arrays;

/** Rejects ID maps that hold an id more than once (Faiss accepts them; Milvus would load the rows twice). */
final class FaissIdCheck {
    private FaissIdCheck() {
    }

    /** Reads the {@code rows} int64 ids at {@code offset} (8 bytes a row), sorts them and fails on a repeat. */
    static void requireUnique(FaissFile file, long offset, long rows) {
        long[] ids = FaissIdMap.read(file, offset, rows, "an ID map of " + rows + " rows is more than this reader"
                + " checks for duplicate ids");
        Arrays.sort(ids);
        long repeated = 0;
        long first = 0;
        int distinct = 0;
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] == ids[i - 1]) {
                if (repeated == 0) {
                    first = ids[i];
                }
                repeated++;
                if (i == 1 || ids[i - 2] != ids[i]) {
                    distinct++;
                }
            }
        }
        if (repeated > 0) {
            throw FaissErrors.format(file, offset, "the ID map holds id " + first + " more than once: " + repeated
                    + " duplicate row(s) over " + distinct + " id(s); Milvus would load such rows twice, so give"
                    + " every vector its own id first");
        }
    }
}
