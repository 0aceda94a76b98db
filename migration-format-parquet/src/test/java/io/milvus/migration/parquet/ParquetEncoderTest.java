package io.milvus.migration.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileEncoder;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.milvus.migration.spi.Position;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files as Milvus's Parquet import reads them, written and read back with Apache Parquet's own reader. */
class ParquetEncoderTest {
    @TempDir
    Path tmp;

    private static final CollectionSchema SCHEMA = CollectionSchema.builder("c").dynamicField(true)
            .field(FieldSchema.builder("id", DataType.INT64).primaryKey(true).autoId(true).build())
            .field(FieldSchema.builder("b", DataType.BOOL).build())
            .field(FieldSchema.builder("i8", DataType.INT8).build())
            .field(FieldSchema.builder("i16", DataType.INT16).nullable(true).build())
            .field(FieldSchema.builder("f", DataType.FLOAT).build())
            .field(FieldSchema.builder("d", DataType.DOUBLE).build())
            .field(FieldSchema.builder("s", DataType.VARCHAR).maxLength(20).build())
            .field(FieldSchema.builder("j", DataType.JSON).build())
            .field(FieldSchema.builder("a", DataType.ARRAY).elementType(DataType.INT64).maxCapacity(3).build())
            .field(FieldSchema.floatVector("fv", 3, MetricType.L2))
            .field(FieldSchema.binaryVector("bv", 16, MetricType.HAMMING))
            .build();

    private static Batch rows() {
        var c = new LinkedHashMap<String, Column>();
        c.put("id", new Column.Longs(new long[] {1, 2}));
        c.put("b", new Column.Bools(new boolean[] {true, false}));
        c.put("i8", new Column.Ints(new int[] {-128, 127}));
        var nulls = new BitSet();
        nulls.set(1);
        c.put("i16", new Column.Ints(new int[] {-300, 0}, nulls));
        c.put("f", new Column.Floats(new float[] {1.5f, -0f}));
        c.put("d", new Column.Doubles(new double[] {0.1, 1e300}));
        c.put("s", new Column.Strings(new String[] {"é漢😀", ""}));
        c.put("j", new Column.Strings(new String[] {"{\"a\":1}", "[1,2]"}));
        c.put("a", new Column.Lists(new List<?>[] {List.of(1L, 2L), List.of()}));
        c.put("fv", new Column.FloatVectors(3, new float[] {1, 2, 3, 4, 5, 6}));
        c.put("bv", new Column.BinaryVectors(16, new byte[] {(byte) 0xff, 1, 2, (byte) 0x80}));
        c.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(new String[] {"{\"x\":1}", "{}"}));
        return new Batch(new Position("s", 2), c);
    }

    private static BulkFileEncoder encoder() {
        for (BulkFileEncoder e : ServiceLoader.load(BulkFileEncoder.class)) {
            if (e.format() == BulkFormat.PARQUET) {
                return e;
            }
        }
        throw new AssertionError("no Parquet encoder found by ServiceLoader");
    }

    @Test
    void schemaIsWhatMilvusReads() {
        MessageType t = ParquetEncoder.parquetSchema(SCHEMA);
        String text = t.toString();
        assertThat(t.containsField("id")).as("an autoID key is Milvus's to make").isFalse();
        assertThat(text).contains("required boolean b", "required int32 i8 (INTEGER(8,true))",
                "optional int32 i16 (INTEGER(16,true))", "required float f", "required double d",
                "required binary s (STRING)", "required binary j (STRING)", "required binary $meta (STRING)",
                "required group a (LIST)", "required int64 element", "required group fv (LIST)",
                "required float element", "required int32 element (INTEGER(8,false))");
    }

    @Test
    void rowsReadBackAsWritten() throws IOException {
        BulkFileEncoder e = encoder();
        Path file = tmp.resolve(e.fileName());
        Batch batch = rows();
        try (var w = e.open(file, SCHEMA)) {
            w.write(batch);
        }
        long bound = e.overheadBytes() + e.maxRowBytes(batch, 0) + e.maxRowBytes(batch, 1);
        assertThat(Files.size(file)).isLessThanOrEqualTo(bound);
        List<Group> got = read(file);
        assertThat(got).hasSize(2);
        Group g = got.get(0);
        assertThat(g.getBoolean("b", 0)).isTrue();
        assertThat(g.getInteger("i8", 0)).isEqualTo(-128);
        assertThat(g.getInteger("i16", 0)).isEqualTo(-300);
        assertThat(got.get(1).getFieldRepetitionCount("i16")).isZero();   // the null
        assertThat(g.getFloat("f", 0)).isEqualTo(1.5f);
        assertThat(got.get(1).getDouble("d", 0)).isEqualTo(1e300);
        assertThat(g.getString("s", 0)).isEqualTo("é漢😀");
        assertThat(g.getString("j", 0)).isEqualTo("{\"a\":1}");
        assertThat(g.getString("$meta", 0)).isEqualTo("{\"x\":1}");
        assertThat(elements(g, "a")).containsExactly("1", "2");
        assertThat(elements(got.get(1), "a")).isEmpty();
        assertThat(elements(got.get(1), "fv")).containsExactly("4.0", "5.0", "6.0");
        assertThat(elements(g, "bv")).containsExactly("255", "1");
    }

    private static List<String> elements(Group row, String field) {
        Group list = row.getGroup(field, 0);
        var out = new ArrayList<String>();
        for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
            out.add(list.getGroup("list", i).getValueToString(0, 0));
        }
        return out;
    }

    private static List<Group> read(Path file) throws IOException {
        var out = new ArrayList<Group>();
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                RecordReader<Group> rr = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    out.add(rr.read());
                }
            }
        }
        return out;
    }

    @Test
    void refusesVectorsMilvusParquetImportCannotRead() {
        var schema = CollectionSchema.builder("h").field(FieldSchema.int64Key("id"))
                .field(FieldSchema.builder("hv", DataType.FLOAT16_VECTOR).dimension(2).build()).build();
        assertThatThrownBy(() -> encoder().check(schema))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("field hv").hasMessageContaining("FLOAT16_VECTOR")
                .hasMessageContaining("JSON");
    }
}
