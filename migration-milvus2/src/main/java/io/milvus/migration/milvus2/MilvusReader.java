package io.milvus.migration.milvus2;

import static io.milvus.migration.milvus2.MilvusCollection.check;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.TargetReader;
import io.milvus.param.MetricType;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.dml.SearchParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.param.partition.ShowPartitionsParam;
import io.milvus.response.DescIndexResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.response.SearchResultsWrapper;
import io.milvus.response.ShowPartResponseWrapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link MilvusTarget}'s collections back for verification: counts by {@code count(*)} queries, rows by
 * primary-key queries, searches with every IVF list probed. All reads use strong consistency, so rows imported just
 * before are seen. A collection with an index that is not loaded is loaded first (Milvus queries loaded collections
 * only).
 */
final class MilvusReader implements TargetReader {
    private static final String DEFAULT_PARTITION = "_default";
    static final Pattern PARAM = Pattern.compile("\"?([A-Za-z_]+)\"?\\s*:\\s*\"?(-?\\d+)\"?");

    private final java.util.function.Supplier<MilvusServiceClient> client;
    private final String description;

    MilvusReader(java.util.function.Supplier<MilvusServiceClient> client, String description) {
        this.client = client;
        this.description = description;
    }

    private MilvusServiceClient client() {
        return client.get();
    }

    @Override
    public boolean exists(String collection) {
        return check(client().hasCollection(HasCollectionParam.newBuilder().withCollectionName(collection).build()),
                ErrorCode.TARGET_UNAVAILABLE, "check collection " + collection + " on " + description);
    }

    @Override
    public Map<String, Long> partitionRows(String collection) {
        var parts = new ShowPartResponseWrapper(check(client().showPartitions(ShowPartitionsParam.newBuilder()
                .withCollectionName(collection).build()), ErrorCode.TARGET_REJECTED, "list partitions of "
                + collection));
        var out = new LinkedHashMap<String, Long>();
        boolean loaded = ensureLoaded(collection, false);
        for (var p : parts.getPartitionsInfo()) {
            String name = p.getName().equals(DEFAULT_PARTITION) ? "" : p.getName();
            out.put(name, loaded ? count(collection, p.getName()) : statisticsCount(collection, p.getName()));
        }
        return out;
    }

    /** Rows of a partition as {@code count(*)} gives them: deletes and upserts are accounted for. */
    private long count(String collection, String partition) {
        var r = check(client().query(QueryParam.newBuilder().withCollectionName(collection)
                .withPartitionNames(List.of(partition)).withExpr("").withOutFields(List.of("count(*)"))
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()), ErrorCode.TARGET_REJECTED,
                "count rows of partition " + partition + " of " + collection);
        Object v = new QueryResultsWrapper(r).getFieldWrapper("count(*)").getFieldData().get(0);
        return ((Number) v).longValue();
    }

    /** Rows of a partition from its statistics (without loading; deletes are not subtracted until compaction). */
    private long statisticsCount(String collection, String partition) {
        var stats = check(client().getPartitionStatistics(io.milvus.param.partition.GetPartitionStatisticsParam
                .newBuilder().withCollectionName(collection).withPartitionName(partition).withFlush(true).build()),
                ErrorCode.TARGET_REJECTED, "count rows of partition " + partition + " of " + collection);
        return stats.getStatsList().stream().filter(kv -> kv.getKey().equals("row_count"))
                .mapToLong(kv -> Long.parseLong(kv.getValue())).findFirst().orElse(0);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Batch get(String collection, CollectionSchema schema, Column keys) {
        requireIndexed(collection, schema);
        String pk = schema.primaryKey().name();
        String list;
        if (keys instanceof Column.Longs l) {
            list = java.util.Arrays.toString(l.values());
        } else {
            list = ((Column.Strings) keys).values().stream().map(s -> "\"" + s.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
        }
        var r = check(client().query(QueryParam.newBuilder().withCollectionName(collection)
                .withExpr(pk + " in " + list).withOutFields(schema.fields().stream().map(FieldSchema::name).toList())
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()), ErrorCode.TARGET_REJECTED,
                "query " + keys.rowCount() + " rows of " + collection + " by " + pk);
        var w = new QueryResultsWrapper(r);
        var columns = new LinkedHashMap<String, Column>();
        int rows = -1;
        for (FieldSchema f : schema.fields()) {
            List<?> data = w.getFieldWrapper(f.name()).getFieldData();
            rows = data.size();
            columns.put(f.name(), switch (f.type()) {
                case INT64 -> new Column.Longs(data.stream().mapToLong(x -> ((Number) x).longValue()).toArray());
                case VARCHAR -> new Column.Strings((List<String>) data);
                case FLOAT_VECTOR -> {
                    float[] v = new float[data.size() * f.dimension()];
                    int i = 0;
                    for (Object row : data) {
                        for (Float x : (List<Float>) row) {
                            v[i++] = x;
                        }
                    }
                    yield new Column.FloatVectors(f.dimension(), v);
                }
                case BINARY_VECTOR -> {
                    int width = f.dimension() / 8;
                    byte[] v = new byte[data.size() * width];
                    int i = 0;
                    for (Object row : data) {
                        ByteBuffer b = ((ByteBuffer) row).duplicate();
                        b.clear();
                        b.get(v, i * width, width);
                        i++;
                    }
                    yield new Column.BinaryVectors(f.dimension(), v);
                }
                default -> throw new MigrationException(ErrorCode.INTERNAL, "reading " + f + " back is not built yet");
            });
        }
        return new Batch(Position.start("verify"), columns);
    }

    @Override
    public Optional<IndexSpec> index(String collection, String field) {
        var r = client().describeIndex(DescribeIndexParam.newBuilder().withCollectionName(collection)
                .withFieldName(field).build());
        if (r.getStatus() != io.milvus.param.R.Status.Success.getCode() || r.getData() == null) {
            return Optional.empty(); // Milvus answers "index not found"
        }
        var desc = new DescIndexResponseWrapper(r.getData()).getIndexDescByFieldName(field);
        if (desc == null) {
            return Optional.empty();
        }
        var spec = IndexSpec.builder(desc.getIndexType().name());
        if (desc.getMetricType() != null && desc.getMetricType() != MetricType.None) {
            try {
                spec.metric(io.milvus.migration.spi.MetricType.valueOf(desc.getMetricType().name()));
            } catch (IllegalArgumentException ignored) {
                // a metric this library does not name: left out
            }
        }
        for (var e : desc.getParams().entrySet()) {
            if (e.getKey().equals("params")) {
                Matcher m = PARAM.matcher(e.getValue());
                while (m.find()) {
                    spec.param(m.group(1), Long.parseLong(m.group(2)));
                }
            } else if (e.getValue().matches("-?\\d+")) {
                spec.param(e.getKey(), Long.parseLong(e.getValue()));
            }
        }
        return Optional.of(spec.build());
    }

    @Override
    public List<Hits> search(String collection, FieldSchema field, Column queries, int topK) {
        IndexSpec index = index(collection, field.name()).orElseThrow(() -> noIndex(collection, field.name()));
        ensureLoaded(collection, true);
        var search = SearchParam.newBuilder().withCollectionName(collection).withVectorFieldName(field.name())
                .withTopK(topK).withMetricType(MetricType.valueOf(index.metric().orElse(field.metric()).name()))
                .withParams(searchParams(index, topK)).withConsistencyLevel(ConsistencyLevelEnum.STRONG);
        if (queries instanceof Column.FloatVectors f) {
            var list = new ArrayList<List<Float>>();
            for (int r = 0; r < f.rowCount(); r++) {
                var row = new ArrayList<Float>(f.dimension());
                for (int i = r * f.dimension(); i < (r + 1) * f.dimension(); i++) {
                    row.add(f.values()[i]);
                }
                list.add(row);
            }
            search.withFloatVectors(list);
        } else {
            var b = (Column.BinaryVectors) queries;
            int width = b.dimension() / 8;
            var list = new ArrayList<ByteBuffer>();
            for (int r = 0; r < b.rowCount(); r++) {
                list.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(b.values(), r * width, (r + 1) * width)));
            }
            search.withBinaryVectors(list);
        }
        var r = check(client().search(search.build()), ErrorCode.TARGET_REJECTED, "search " + collection + "."
                + field.name() + " (index " + index + ")");
        var w = new SearchResultsWrapper(r.getResults());
        var out = new ArrayList<Hits>();
        for (int q = 0; q < queries.rowCount(); q++) {
            var scores = w.getIDScore(q);
            var keys = new ArrayList<Object>();
            float[] s = new float[scores.size()];
            for (int i = 0; i < scores.size(); i++) {
                var id = scores.get(i);
                keys.add(key(id));
                s[i] = id.getScore();
            }
            out.add(new Hits(keys, s));
        }
        return out;
    }

    private static Object key(SearchResultsWrapper.IDScore id) {
        return id.getStrID() != null && !id.getStrID().isEmpty() ? id.getStrID() : (Object) id.getLongID();
    }

    /** Search parameters as exact as the index allows: every IVF list probed, a wide HNSW beam. */
    static String searchParams(IndexSpec index, int topK) {
        return switch (index.type()) {
            case "IVF_FLAT", "IVF_SQ8", "IVF_PQ", "BIN_IVF_FLAT" ->
                    "{\"nprobe\":" + Math.min(65536L, ((Number) index.param("nlist").orElse(1024L)).longValue()) + "}";
            case "HNSW" -> "{\"ef\":" + Math.max(topK, 512) + "}";
            default -> "{}";
        };
    }

    private void requireIndexed(String collection, CollectionSchema schema) {
        for (FieldSchema f : schema.fields()) {
            if (f.type().isVector() && index(collection, f.name()).isEmpty()) {
                throw noIndex(collection, f.name());
            }
        }
        ensureLoaded(collection, true);
    }

    /** Loads the collection if it can be (every vector field indexed); returns whether it is loaded. */
    private boolean ensureLoaded(String collection, boolean required) {
        var state = client().getLoadState(io.milvus.param.collection.GetLoadStateParam.newBuilder()
                .withCollectionName(collection).build());
        if (state.getStatus() == io.milvus.param.R.Status.Success.getCode()
                && state.getData().getState() == io.milvus.grpc.LoadState.LoadStateLoaded) {
            return true;
        }
        var load = client().loadCollection(LoadCollectionParam.newBuilder().withCollectionName(collection)
                .withSyncLoad(true).build());
        if (load.getStatus() == io.milvus.param.R.Status.Success.getCode()) {
            return true;
        }
        if (required) {
            throw new MigrationException(ErrorCode.TARGET_REJECTED, "Milvus could not load collection "
                    + collection + " to read it back: " + load.getMessage());
        }
        return false;
    }

    private static MigrationException noIndex(String collection, String field) {
        return new MigrationException(ErrorCode.TARGET_REJECTED, "collection " + collection + " has no index on "
                + field + ", so Milvus can neither load, query nor search it: build one (migrations do by default;"
                + " index: none turns that off) and verify again");
    }
}
