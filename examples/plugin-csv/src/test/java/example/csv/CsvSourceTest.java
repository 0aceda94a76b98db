package example.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV source on its own: schema, splits, cursors and errors, without an engine. */
class CsvSourceTest {
    @TempDir
    Path dir;

    private static final String HEADER = "id,vector:FLOAT_VECTOR(3),title:VARCHAR(32),year:INT16,score:DOUBLE,ok:BOOL";

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** {@code rows} records; every third title is quoted and holds the delimiter and a quote. */
    private static String csv(int firstId, int rows) {
        var b = new StringBuilder(HEADER).append('\n');
        for (int i = firstId; i < firstId + rows; i++) {
            String title = i % 3 == 0 ? "\"t, \"\"" + i + "\"\"\"" : "t" + i;
            b.append(i).append(",\"[").append(i).append(".5, -1, ").append(i % 7).append("]\",").append(title)
                    .append(',').append(1990 + i % 30).append(',').append(i / 4.0).append(',').append(i % 2 == 0)
                    .append(i % 5 == 0 ? "\r\n" : "\n");
        }
        return b.toString();
    }

    private static CsvSettings settings(Path... files) {
        var s = new CsvSettings();
        s.files = java.util.Arrays.stream(files).map(Path::toString).toList();
        return s;
    }

    private static Source source(CsvSettings s) {
        var factory = new CsvSourceFactory();
        factory.validate(s);
        return factory.create(s);
    }

    /** Every id read from every split, each split read in batches of {@code maxRows}. */
    private static List<Long> readAll(Source source, int maxRows) {
        var ids = new ArrayList<Long>();
        var c = source.collections().get(0);
        for (Split split : source.splits(c)) {
            try (SplitReader r = source.open(split)) {
                for (Optional<Batch> b = r.next(maxRows); b.isPresent(); b = r.next(maxRows)) {
                    ids.addAll(ids(b.get()));
                }
            }
        }
        return ids;
    }

    private static List<Long> ids(Batch b) {
        String key = b.columns().containsKey("id") ? "id" : "key";
        return java.util.Arrays.stream(((Column.Longs) b.column(key)).values()).boxed().toList();
    }

    @Test
    void theSchemaComesFromTheHeader() throws Exception {
        Source source = source(settings(write("docs.csv", csv(1, 3))));
        CollectionSchema schema = source.collections().get(0).schema();
        assertEquals("docs", schema.name());
        assertEquals(List.of("id", "vector", "title", "year", "score", "ok"),
                schema.fields().stream().map(f -> f.name()).toList());
        assertTrue(schema.primaryKey().name().equals("id") && schema.primaryKey().type() == DataType.INT64);
        assertEquals(3, schema.field("vector").orElseThrow().dimension());
        assertEquals(32, schema.field("title").orElseThrow().maxLength());
        assertEquals(DataType.INT16, schema.field("year").orElseThrow().type());
    }

    @Test
    void valuesAreParsedQuotedFieldsIncluded() throws Exception {
        Source source = source(settings(write("docs.csv", csv(1, 3))));
        Split split = source.splits(source.collections().get(0)).get(0);
        try (SplitReader r = source.open(split)) {
            Batch b = r.next(10).orElseThrow();
            assertEquals(3, b.rowCount());
            assertEquals("t, \"3\"", ((Column.Strings) b.column("title")).get(2));
            assertArrayEquals(new float[] {2.5f, -1f, 2f}, (float[]) b.column("vector").value(1));
            assertEquals(1993, b.column("year").value(2));
            assertEquals(0.75, b.column("score").value(2));
            assertEquals(true, b.column("ok").value(1));
            assertEquals(3, b.position().rowsRead());
            assertTrue(r.next(10).isEmpty());
        }
    }

    @Test
    void typesAndTheDimensionMayComeFromTheSettings() throws Exception {
        Path f = write("plain.csv", "key;emb;label\n7;0.5 0.25;x\n8;1 2;y\n");
        CsvSettings s = settings(f);
        s.delimiter = ";";
        s.idField = "key";
        s.vectorField = "emb";
        s.types.put("label", "varchar(4)");
        s.collection = "named";
        Source source = source(s);
        CollectionSchema schema = source.collections().get(0).schema();
        assertEquals("named", schema.name());
        assertEquals(2, schema.field("emb").orElseThrow().dimension()); // from the first record
        assertEquals(List.of(7L, 8L), readAll(source, 10));
    }

    @Test
    void byteRangeSplitsReadEveryRecordOnceWhateverTheirSize() throws Exception {
        Path a = write("a.csv", csv(1, 60));
        Path b = write("b.csv", csv(61, 17));
        var expected = new ArrayList<Long>();
        for (long i = 1; i <= 77; i++) {
            expected.add(i);
        }
        for (long splitBytes : new long[] {1, 33, 100, 1000, 1 << 20}) {
            CsvSettings s = settings(a, b);
            s.splitBytes = splitBytes;
            Source source = source(s);
            for (int maxRows : splitBytes == 1 ? new int[] {2} : new int[] {1, 3, 1000}) {
                assertEquals(expected, readAll(source, maxRows), "splitBytes " + splitBytes + ", maxRows " + maxRows);
            }
        }
    }

    @Test
    void aDirectoryIsItsCsvFilesInNameOrderAndSplitsArePlainData() throws Exception {
        write("b.csv", csv(4, 2));
        write("a.csv", csv(1, 3));
        write("notes.txt", "not a csv");
        Source source = source(settings(dir));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), readAll(source, 2));
        List<Split> splits = source.splits(source.collections().get(0));
        int dataStart = HEADER.length() + 1;
        assertEquals(List.of(dir.resolve("a.csv") + "@" + dataStart, dir.resolve("b.csv") + "@" + dataStart),
                splits.stream().map(Split::id).toList());
        try (var out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(splits.get(0)); // serializable: checkpoints and Spark keep splits
        }
    }

    @Test
    void aReaderContinuesAfterTheCursorOfAnyBatch() throws Exception {
        CsvSettings s = settings(write("docs.csv", csv(1, 50)));
        s.splitBytes = 600;
        Source source = source(s);
        for (Split split : source.splits(source.collections().get(0))) {
            var all = new ArrayList<Long>();
            var positions = new ArrayList<Position>();
            try (SplitReader r = source.open(split)) {
                for (Optional<Batch> b = r.next(4); b.isPresent(); b = r.next(4)) {
                    all.addAll(ids(b.get()));
                    positions.add(b.get().position());
                }
            }
            int done = 0;
            for (Position p : positions) {
                done = (int) p.rowsRead();
                var rest = new ArrayList<Long>();
                try (SplitReader r = source.open(split, p)) {
                    for (Optional<Batch> b = r.next(3); b.isPresent(); b = r.next(3)) {
                        rest.addAll(ids(b.get()));
                        assertEquals(split.id(), b.get().position().splitId());
                    }
                }
                assertEquals(all.subList(done, all.size()), rest, "after " + p);
            }
        }
    }

    private static MigrationException readFails(Source source) {
        return assertThrows(MigrationException.class, () -> readAll(source, 100));
    }

    @Test
    void badRecordsNameTheFileLineAndColumn() throws Exception {
        String good = csv(1, 3);
        Path f = write("bad.csv", good + "4,\"[1, 2, x]\",t,1999,0,true\n");
        MigrationException e = readFails(source(settings(f)));
        assertEquals(ErrorCode.SOURCE_FORMAT, e.code());
        assertTrue(e.getMessage().contains("file " + f + " line 5 (byte " + good.length() + "), column vector:"
                + " element 2 'x' is not a number"), e.getMessage());

        Files.writeString(f, good + "4,\"[1, 2, 3]\",t,99999,0,true\n");
        assertTrue(readFails(source(settings(f))).getMessage().contains("line 5 (byte " + good.length()
                + "), column year: 99999 does not fit INT16"));
        Files.writeString(f, good + "4,\"[1, 2]\",t,1,0,true\n");
        assertTrue(readFails(source(settings(f))).getMessage().contains("column vector: has 2 numbers, the"
                + " dimension is 3"));
        Files.writeString(f, good + "4,\"[1, 2, 3]\",t,1,0\n");
        assertTrue(readFails(source(settings(f))).getMessage().contains("line 5 (byte " + good.length()
                + "): has 5 fields, the header 6"));
        Files.writeString(f, good + "4,\"[1, 2, 3]\",\"open,1,0,true\n");
        assertTrue(readFails(source(settings(f))).getMessage().contains("the quote at character 15 is not closed"));
        Files.writeString(f, good + "4,\"[1, 2, 3]\"," + "x".repeat(33) + ",1,0,true\n");
        assertTrue(readFails(source(settings(f))).getMessage().contains("column title: has 33 bytes, more than its"
                + " max length 32"));
        Files.writeString(f, good + "4,\"[1, 2, 3]\",t,,0,true\n");
        assertTrue(readFails(source(settings(f))).getMessage().contains("column year: is empty"));
    }

    @Test
    void filesWithAnotherHeaderAreRefused() throws Exception {
        Path a = write("a.csv", csv(1, 2));
        Path b = write("b.csv", csv(3, 2).replace("score:DOUBLE", "score:FLOAT"));
        Source source = source(settings(a, b));
        var e = assertThrows(MigrationException.class, () -> source.splits(source.collections().get(0)));
        assertEquals(ErrorCode.SOURCE_FORMAT, e.code());
        assertTrue(e.getMessage().contains("file " + b + " line 1 (byte 0): header '"), e.getMessage());
    }

    @Test
    void settingsAreCheckedWithoutTouchingAFile() {
        var factory = new CsvSourceFactory();
        CsvSettings s = settings(Path.of("/no/such/file.csv"));
        factory.validate(s); // the file is not looked at
        s.delimiter = ";;";
        assertEquals("source.csv.delimiter must be one character other than a quote or a line break",
                assertThrows(MigrationException.class, () -> factory.validate(s)).reason());
        s.delimiter = ",";
        s.types.put("title", "VARCHAR");
        assertTrue(assertThrows(MigrationException.class, () -> factory.validate(s)).reason()
                .startsWith("source.csv.types.title is VARCHAR without a max length"));
        s.types.clear();
        s.header = false;
        assertEquals("source.csv.columns must list the columns when header is false",
                assertThrows(MigrationException.class, () -> factory.validate(s)).reason());
        s.columns = List.of("id", "vector", "n:INT128");
        assertEquals("source.csv.columns[2] names no type: 'INT128'",
                assertThrows(MigrationException.class, () -> factory.validate(s)).reason());
        s.columns = List.of("id", "vector");
        s.metric = "HAMMING";
        assertTrue(assertThrows(MigrationException.class, () -> factory.validate(s)).reason()
                .startsWith("source.csv.metric must be L2, IP or COSINE"));
    }

    @Test
    void aColumnWithoutATypeIsNamed() throws Exception {
        Path f = write("untyped.csv", "id,vector,title\n1,[1],x\n");
        var e = assertThrows(MigrationException.class, () -> source(settings(f)));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.reason().startsWith("source.csv.types gives no type to column title of " + f), e.reason());
    }
}
