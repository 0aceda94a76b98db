package io.milvus.migration.parquet;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileEncoder;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * One Parquet file being written, row by row from columnar batches, uncompressed and without dictionaries (Milvus
 * reads it once; plain pages keep writing fast and the size bound simple). Used by one thread.
 */
final class ParquetFileWriter implements BulkFileEncoder.FileWriter {
    /** Rows buffered in memory before a row group is written: each worker holds up to this much. */
    private static final long ROW_GROUP_BYTES = 32L << 20;

    private final Rows rows;
    private final ParquetWriter<Integer> writer;

    ParquetFileWriter(Path file, CollectionSchema schema, MessageType type) throws IOException {
        this.rows = new Rows(type);
        this.writer = new Builder(new LocalOutputFile(file), rows)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withDictionaryEncoding(false)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    @Override
    public void write(Batch batch) throws IOException {
        rows.batch = batch;
        for (int r = 0; r < batch.rowCount(); r++) {
            writer.write(r);
        }
        rows.batch = null;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
        private final Rows rows;

        Builder(OutputFile file, Rows rows) {
            super(file);
            this.rows = rows;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
            return rows;
        }
    }

    /** Writes row {@code r} of the current batch as one record. */
    private static final class Rows extends WriteSupport<Integer> {
        private final MessageType type;
        private final List<Type> fields;
        private RecordConsumer out;
        Batch batch;

        Rows(MessageType type) {
            this.type = type;
            this.fields = type.getFields();
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(type, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Integer boxedRow) {
            int row = boxedRow;
            out.startMessage();
            for (int i = 0; i < fields.size(); i++) {
                Type f = fields.get(i);
                Column c = batch.column(f.getName());
                if (c.isNull(row)) {
                    continue;   // an optional column without a value
                }
                out.startField(f.getName(), i);
                if (f.isPrimitive()) {
                    scalar(c, row);
                } else {
                    list(f.asGroupType(), c, row);
                }
                out.endField(f.getName(), i);
            }
            out.endMessage();
        }

        private void scalar(Column c, int row) {
            if (c instanceof Column.Longs v) {
                out.addLong(v.get(row));
            } else if (c instanceof Column.Ints v) {
                out.addInteger(v.get(row));
            } else if (c instanceof Column.Bools v) {
                out.addBoolean(v.get(row));
            } else if (c instanceof Column.Floats v) {
                out.addFloat(v.get(row));
            } else if (c instanceof Column.Doubles v) {
                out.addDouble(v.get(row));
            } else if (c instanceof Column.Strings v) {
                out.addBinary(Binary.fromConstantByteArray(v.get(row).getBytes(StandardCharsets.UTF_8)));
            } else {
                throw new IllegalStateException("column " + c + " is not a Parquet scalar");
            }
        }

        /** A LIST column: a group holding a repeated group {@code list} of {@code element}s. */
        private void list(GroupType listType, Column c, int row) {
            out.startGroup();
            if (c instanceof Column.StoredVectors s) {
                c = s.slice(row, row + 1).materialize();
                row = 0;
            }
            int n = size(c, row);
            if (n > 0) {
                out.startField("list", 0);
                for (int i = 0; i < n; i++) {
                    out.startGroup();
                    out.startField("element", 0);
                    element(c, row, i);
                    out.endField("element", 0);
                    out.endGroup();
                }
                out.endField("list", 0);
            }
            out.endGroup();
        }

        private static int size(Column c, int row) {
            if (c instanceof Column.FloatVectors v) {
                return v.dimension();
            } else if (c instanceof Column.BinaryVectors v) {
                return v.rowBytes();
            }
            return ((Column.Lists) c).get(row).size();
        }

        private void element(Column c, int row, int i) {
            if (c instanceof Column.FloatVectors v) {
                out.addFloat(v.get(row, i));
            } else if (c instanceof Column.BinaryVectors v) {
                out.addInteger(v.array()[(v.offset() + row) * v.rowBytes() + i] & 0xff);
            } else {
                Object e = ((Column.Lists) c).get(row).get(i);
                if (e instanceof Boolean b) {
                    out.addBoolean(b);
                } else if (e instanceof Integer x) {
                    out.addInteger(x);
                } else if (e instanceof Long x) {
                    out.addLong(x);
                } else if (e instanceof Float x) {
                    out.addFloat(x);
                } else if (e instanceof Double x) {
                    out.addDouble(x);
                } else {
                    out.addBinary(Binary.fromConstantByteArray(((String) e).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }
}
