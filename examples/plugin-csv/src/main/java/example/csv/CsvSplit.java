package example.csv;

import io.milvus.migration.spi.Split;

/**
 * The records of one file that start in the byte range {@code [start, end)}: plain data, no open file.
 *
 * @param file      the file
 * @param start     the first byte of the range
 * @param end       the byte after the range
 * @param dataStart whether {@code start} is where the file's records begin (after the header), so no partial
 *                  record precedes it
 */
record CsvSplit(String file, long start, long end, boolean dataStart) implements Split {
    @Override
    public String id() {
        return file + "@" + start;
    }

    @Override
    public long estimatedRows() {
        return -1;
    }
}
