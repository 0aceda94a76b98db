package io.milvus.migration.milvus2;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link MilvusSplit}: pages of the rows whose keys are above the last one read, in key order, at the
 * source's snapshot. Each batch's position carries its last key. When the range is exhausted, the rows read are
 * compared with the range's count, to report a source that changed during the copy.
 */
final class MilvusSplitReader implements SplitReader {
    private static final Logger LOG = LoggerFactory.getLogger(MilvusSplitReader.class);

    private final MilvusSource source;
    private final MilvusSource.Info info;
    private final MilvusSplit split;
    private final FieldSchema key;
    private final boolean int64;
    private final CollectionSchema schema;
    private final List<String> outputs = new ArrayList<>();
    private final Object lower;
    private final Object upper;
    private Object last;
    private long rowsRead;
    private int pageRows;
    private boolean done;

    MilvusSplitReader(MilvusSource source, MilvusSource.Info info, MilvusSplit split, Position from) {
        this.source = source;
        this.info = info;
        this.split = split;
        this.schema = info.schema();
        this.key = schema.primaryKey();
        this.int64 = key.type() == DataType.INT64;
        this.lower = KeyRanges.parse(split.lower(), int64);
        this.upper = KeyRanges.parse(split.upper(), int64);
        this.pageRows = source.settings().pageRows();
        if (!from.splitId().equals(split.id())) {
            throw new MigrationException(ErrorCode.INTERNAL, "position of split " + from.splitId() + " given to split "
                    + split.id());
        }
        if (from.rowsRead() > 0) {
            try {
                last = KeyRanges.parse(from.cursor(), int64);
            } catch (NumberFormatException e) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "position of split " + split.id() + " has "
                        + "cursor '" + from.cursor() + "', not an Int64 key of collection " + info.name());
            }
            rowsRead = from.rowsRead();
        }
        for (FieldSchema f : schema.fields()) {
            outputs.add(f.name());
        }
        if (schema.dynamicField()) {
            outputs.add(CollectionSchema.DYNAMIC_FIELD);
        }
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        if (done) {
            return Optional.empty();
        }
        String expr = KeyRanges.expr(key.name(), lower, upper, last);
        QueryResults r = page(expr, Math.max(1, Math.min(maxRows, pageRows)));
        List<FieldData> data = r.getFieldsDataList();
        int rows = MilvusValues.rowCount(data);
        if (rows == 0) {
            done = true;
            checkCount();
            return Optional.empty();
        }
        String what = "split " + split.id() + " of collection " + info.name() + " after key " + last;
        int[] order = keyOrder(data, rows);
        var columns = MilvusValues.columns(data, rows, schema, what, order);
        Column keys = columns.get(key.name());
        last = keys.value(rows - 1);
        rowsRead += rows;
        if (source.settings().newIds() && key.autoId()) {
            columns.remove(key.name()); // the target makes new ids
        }
        return Optional.of(new Batch(new Position(split.id(), rowsRead, KeyRanges.text(last)), columns));
    }

    /** One page, halved while gRPC finds the answer too large. */
    private QueryResults page(String expr, int limit) {
        while (true) {
            var q = QueryRequest.newBuilder().setDbName(info.database()).setCollectionName(info.name())
                    .setExpr(expr).addAllOutputFields(outputs)
                    .addQueryParams(MilvusSource.kv("limit", Integer.toString(limit)));
            if (!split.sourcePartition().isEmpty()) {
                q.addPartitionNames(split.sourcePartition());
            }
            MilvusSource.at(q, split.snapshot());
            try {
                return source.query(q.build(), "read split " + split.id() + " of collection " + info.name());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED || limit == 1) {
                    throw new MigrationException(ErrorCode.SOURCE_IO, "reading split " + split.id() + " of "
                            + "collection " + info.name() + " after key " + last + " failed: " + e.getStatus(), e);
                }
                limit = Math.max(1, limit / 2);
                pageRows = limit;
                LOG.info("a page of collection {} was too large for gRPC; reading {} rows per page", info.name(),
                        limit);
            }
        }
    }

    /** The rows' order by key: Milvus may send a page's rows in any order. */
    private int[] keyOrder(List<FieldData> data, int rows) {
        FieldData keyData = data.stream().filter(d -> d.getFieldName().equals(key.name())).findFirst()
                .orElseThrow(() -> new MigrationException(ErrorCode.SOURCE_FORMAT, "split " + split.id()
                        + ": the answer has no key field " + key.name()));
        Integer[] order = new Integer[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        if (int64) {
            var v = keyData.getScalars().getLongData();
            java.util.Arrays.sort(order, (a, b) -> Long.compare(v.getData(a), v.getData(b)));
        } else {
            var v = keyData.getScalars().getStringData();
            java.util.Arrays.sort(order, (a, b) -> KeyRanges.compareCodePoints(v.getData(a), v.getData(b)));
        }
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /**
     * Compares the rows read with the range's count at the snapshot and now. Servers that read at a snapshot (Milvus
     * 2.4 and later, for iterator queries) give the same count at the snapshot as was read; Milvus 2.3 reads the
     * latest rows in every page, so rows written or deleted during the copy show here as drift.
     */
    private void checkCount() {
        List<String> partitions = split.sourcePartition().isEmpty() ? List.of() : List.of(split.sourcePartition());
        String expr = KeyRanges.expr(key.name(), lower, upper, null);
        long atSnapshot = source.count(info, partitions, expr, split.snapshot());
        long now = split.snapshot() == 0 ? atSnapshot : source.count(info, partitions, expr, 0);
        if (split.estimatedRows() != rowsRead || atSnapshot != rowsRead || now != rowsRead) {
            LOG.warn("the source changed during the copy: split {} of collection {} ({}) held {} rows when it was cut, "
                    + "{} were read, it holds {} now", split.id(), info.name(), expr.isEmpty() ? "every key" : expr,
                    split.estimatedRows(), rowsRead, now);
            source.drifted(info.schema().name(), split, rowsRead, now);
        }
    }

    @Override
    public void close() {
        // the client belongs to the source
    }
}
