package io.milvus.migration.spark;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.core.DistributedRun;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.FieldSchema;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;

/**
 * An executor's side of {@code df.write.format("milvus")}: buffers a partition's rows into columns and stages them
 * as bulk files under a prefix of this attempt; the commit message carries what was staged to the driver.
 */
final class MilvusDataWriter implements DataWriter<InternalRow> {
    private final CollectionSchema schema;
    private final DistributedRun.StagedWriter files;
    private final Migration writing;
    private final int batchRows;
    private final List<InternalRow> rows = new ArrayList<>();
    private long written;

    MilvusDataWriter(CollectionSchema schema, Migration writing, DistributedRun.StagedWriter files, int batchRows) {
        this.schema = schema;
        this.writing = writing;
        this.files = files;
        this.batchRows = batchRows;
    }

    /** Ships the DataFrame's schema, the non-secret options and the partitions' tasks. */
    static final class Factory implements DataWriterFactory {
        private static final long serialVersionUID = 1L;
        private final StructType df;
        private final WriteOptions options;
        private final Map<Integer, DistributedRun.SplitTask> tasks;

        Factory(StructType df, WriteOptions options, Map<Integer, DistributedRun.SplitTask> tasks) {
            this.df = df;
            this.options = options;
            this.tasks = Map.copyOf(tasks);
        }

        @Override
        public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
            DistributedRun.SplitTask task = tasks.get(partitionId);
            if (task == null) {
                return new Skipping(); // imported by an earlier run of this job
            }
            CollectionSchema schema = DataFrameSchema.of(df, options.shipped);
            TaskContext ctx = TaskContext.get();
            String attempt = "t" + taskId + "-" + (ctx == null ? 0 : ctx.attemptNumber());
            Migration writing = options.writing().build();
            return new MilvusDataWriter(schema, writing, DistributedRun.StagedWriter.open(writing, schema, task,
                    attempt), options.batchRows());
        }
    }

    /** What a committed task staged; null output for a partition done before. */
    static final class Committed implements WriterCommitMessage {
        private static final long serialVersionUID = 1L;
        final DistributedRun.SplitOutput output;

        Committed(DistributedRun.SplitOutput output) {
            this.output = output;
        }
    }

    @Override
    public void write(InternalRow row) {
        rows.add(row.copy()); // Spark reuses the row object
        if (rows.size() >= batchRows) {
            flush();
        }
    }

    @Override
    public WriterCommitMessage commit() {
        flush();
        return new Committed(files.finish());
    }

    @Override
    public void abort() {
        files.abort();
    }

    @Override
    public void close() {
        files.close();
        writing.staging().ifPresent(s -> s.close());
    }

    private void flush() {
        if (rows.isEmpty()) {
            return;
        }
        var columns = new LinkedHashMap<String, Column>();
        List<FieldSchema> fields = schema.fields();
        for (int i = 0; i < fields.size(); i++) {
            columns.put(fields.get(i).name(), column(fields.get(i), i));
        }
        files.write(columns);
        written += rows.size();
        rows.clear();
    }

    private Column column(FieldSchema f, int ordinal) {
        int n = rows.size();
        var nulls = new BitSet();
        for (int r = 0; r < n; r++) {
            if (rows.get(r).isNullAt(ordinal)) {
                if (f.type().isVector() || f.primaryKey() || !f.nullable()) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "column " + f.name() + " of collection "
                            + schema.name() + " is null in row " + (written + r) + " of this partition");
                }
                nulls.set(r);
            }
        }
        switch (f.type()) {
            case INT64 -> {
                long[] v = new long[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? 0 : rows.get(r).getLong(ordinal);
                }
                return new Column.Longs(v, nulls);
            }
            case INT32, INT16, INT8 -> {
                int[] v = new int[n];
                for (int r = 0; r < n; r++) {
                    InternalRow row = rows.get(r);
                    v[r] = nulls.get(r) ? 0 : switch (f.type()) {
                        case INT32 -> row.getInt(ordinal);
                        case INT16 -> row.getShort(ordinal);
                        default -> row.getByte(ordinal);
                    };
                }
                return new Column.Ints(v, nulls);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int r = 0; r < n; r++) {
                    v[r] = !nulls.get(r) && rows.get(r).getBoolean(ordinal);
                }
                return new Column.Bools(v, nulls);
            }
            case FLOAT -> {
                float[] v = new float[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? 0 : rows.get(r).getFloat(ordinal);
                }
                return new Column.Floats(v, nulls);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? 0 : rows.get(r).getDouble(ordinal);
                }
                return new Column.Doubles(v, nulls);
            }
            case VARCHAR -> {
                String[] v = new String[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? null : rows.get(r).getUTF8String(ordinal).toString();
                }
                return new Column.Strings(v);
            }
            case FLOAT_VECTOR -> {
                int d = f.dimension();
                float[] v = new float[n * d];
                for (int r = 0; r < n; r++) {
                    ArrayData a = rows.get(r).getArray(ordinal);
                    if (a.numElements() != d) {
                        throw new MigrationException(ErrorCode.SOURCE_FORMAT, "column " + f.name() + " holds "
                                + a.numElements() + " floats in row " + (written + r) + " of this partition, not"
                                + " the dimension " + d);
                    }
                    for (int i = 0; i < d; i++) {
                        v[r * d + i] = a.getFloat(i);
                    }
                }
                return new Column.FloatVectors(d, v);
            }
            case BINARY_VECTOR -> {
                int bytes = f.dimension() / 8;
                byte[] v = new byte[n * bytes];
                for (int r = 0; r < n; r++) {
                    byte[] b = rows.get(r).getBinary(ordinal);
                    if (b.length != bytes) {
                        throw new MigrationException(ErrorCode.SOURCE_FORMAT, "column " + f.name() + " holds "
                                + b.length + " bytes in row " + (written + r) + " of this partition, not the "
                                + bytes + " of dimension " + f.dimension());
                    }
                    System.arraycopy(b, 0, v, r * bytes, bytes);
                }
                return new Column.BinaryVectors(f.dimension(), v);
            }
            case ARRAY -> {
                List<?>[] v = new List<?>[n];
                for (int r = 0; r < n; r++) {
                    if (nulls.get(r)) {
                        continue;
                    }
                    ArrayData a = rows.get(r).getArray(ordinal);
                    var list = new ArrayList<Object>(a.numElements());
                    for (int i = 0; i < a.numElements(); i++) {
                        list.add(switch (f.elementType()) {
                            case INT64 -> a.getLong(i);
                            case INT32 -> a.getInt(i);
                            case DOUBLE -> a.getDouble(i);
                            case BOOL -> a.getBoolean(i);
                            default -> a.getUTF8String(i).toString();
                        });
                    }
                    v[r] = list;
                }
                return new Column.Lists(v);
            }
            default -> throw new MigrationException(ErrorCode.INTERNAL, "no column for " + f);
        }
    }

    /** A partition an earlier run of the job imported: its rows are not written again. */
    static final class Skipping implements DataWriter<InternalRow> {
        @Override
        public void write(InternalRow row) {
        }

        @Override
        public WriterCommitMessage commit() {
            return new Committed(null);
        }

        @Override
        public void abort() {
        }

        @Override
        public void close() {
        }
    }
}
