package io.milvus.migration.qdrant;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Reads collections of a Qdrant server with the official Java client ({@code io.qdrant:client}) over gRPC. Each point
 * becomes a row: {@code id} (INT64 for numeric ids; VARCHAR when the collection has UUIDs, numbers and UUIDs, or
 * numbers from 2^63 on, holding the decimal number or the UUID), one vector field per vector (the single unnamed
 * vector as {@code vector}, named vectors under their names, sparse vectors as SPARSE_FLOAT_VECTOR; distance Cosine →
 * COSINE, Dot → IP, Euclid → L2, Manhattan refused as SOURCE_UNSUPPORTED), one scalar field per indexed top-level
 * payload key (the collection's payload schema: keyword, text, uuid and datetime → VARCHAR, integer → INT64, float →
 * DOUBLE, bool → BOOL, geo → JSON), and the rest of the payload in the dynamic field.
 *
 * <p>Qdrant scrolls points in id order (numbers before UUIDs). Splits are id ranges of about {@link Builder#partPoints}
 * points, cut by one scroll over the ids alone; a position's cursor is the id of the next point to read (the scroll's
 * {@code next_page_offset}), or {@code end}, so a stopped migration resumes inside a split. The collection must not
 * change during a migration (a resumed job whose splits changed is refused by the engine). Thread-safe; starts no
 * threads (the gRPC channel has its own).
 */
public final class QdrantSource implements Source {
    private static final int ID_SCAN_PAGE = 10_000;
    /** Responses of a page of wide vectors exceed gRPC's 4 MiB default. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final Builder settings;
    private final QdrantClient client;
    private final Map<String, Planned> plans = new ConcurrentHashMap<>();

    /** A collection's mapping and its exact point count. */
    record Planned(QdrantMapping.Plan plan, long count) {
    }

    private QdrantSource(Builder b) {
        this.settings = b;
        ManagedChannelBuilder<?> channel = ManagedChannelBuilder.forAddress(b.host, b.port)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
        if (b.useTls) {
            channel.useTransportSecurity();
        } else {
            channel.usePlaintext();
        }
        ManagedChannel ch = channel.build();
        var grpc = QdrantGrpcClient.newBuilder(ch, true, false).withTimeout(b.timeout);
        if (b.apiKey != null) {
            grpc.withApiKey(b.apiKey);
        }
        this.client = new QdrantClient(grpc.build());
    }

    /** A builder with the defaults named on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return "qdrant:" + (settings.useTls ? "https" : "http") + "://" + settings.host + ":" + settings.port;
    }

    @Override
    public List<SourceCollection> collections() {
        List<String> names = settings.collections;
        if (names.isEmpty()) {
            names = call("list collections", client.listCollectionsAsync()).stream().sorted().toList();
        }
        var out = new ArrayList<SourceCollection>();
        for (String name : names) {
            Planned p = planned(name);
            out.add(new SourceCollection(p.plan.schema(), p.count));
        }
        return out;
    }

    @Override
    public List<Split> splits(SourceCollection collection) {
        String name = collection.schema().name();
        Planned p = planned(name);
        var out = new ArrayList<Split>();
        if (p.count == 0) {
            return out;
        }
        if (settings.partPoints == 0 || p.count <= settings.partPoints) {
            out.add(new QdrantSplit(name + "/from-start", name, "", "", p.count));
            return out;
        }
        // one pass over the ids alone: the first id of every partPoints-th point starts a split
        var starts = new ArrayList<PointKey>();
        long seen = 0;
        var rows = new ArrayList<Long>();
        PointKey offset = null;
        do {
            ScrollResponse r = scroll(name, offset, ID_SCAN_PAGE, false);
            for (RetrievedPoint pt : r.getResultList()) {
                if (seen % settings.partPoints == 0) {
                    starts.add(PointKey.of(pt.getId()));
                    rows.add(0L);
                }
                rows.set(rows.size() - 1, rows.get(rows.size() - 1) + 1);
                seen++;
            }
            offset = r.hasNextPageOffset() && r.getResultCount() > 0 ? PointKey.of(r.getNextPageOffset()) : null;
        } while (offset != null);
        for (int i = 0; i < starts.size(); i++) {
            String start = i == 0 ? "" : starts.get(i).toString();
            String end = i + 1 < starts.size() ? starts.get(i + 1).toString() : "";
            out.add(new QdrantSplit(name + (i == 0 ? "/from-start" : "/from-" + start), name, start, end,
                    rows.get(i)));
        }
        return out;
    }

    @Override
    public SplitReader open(Split split) {
        return open(split, Position.start(split.id()));
    }

    @Override
    public SplitReader open(Split split, Position from) {
        if (!(split instanceof QdrantSplit s)) {
            throw new IllegalArgumentException("not a Qdrant split: " + split);
        }
        Planned p = planned(s.collection());
        PointKey start = s.start().isEmpty() ? null : PointKey.parse(s.start());
        PointKey end = s.end().isEmpty() ? null : PointKey.parse(s.end());
        PointKey next = start;
        boolean done = false;
        String cursor = from.cursor();
        if (!from.isStart()) {
            if (cursor.equals(QdrantSplitReader.END)) {
                done = true;
            } else {
                try {
                    next = PointKey.parse(cursor);
                } catch (IllegalArgumentException e) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": position " + from
                            + " of split " + s.id() + " has no point id as cursor");
                }
                if (start != null && next.compareTo(start) < 0 || end != null && next.compareTo(end) >= 0) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, describe() + ": position " + from
                            + " is not inside split " + s.id() + " (points " + (start == null ? "first" : start)
                            + " to " + (end == null ? "last" : "before " + end) + ")");
                }
            }
        }
        return new QdrantSplitReader(this, s, p.plan, settings, next, end, from.rowsRead(), done);
    }

    @Override
    public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
        return planned(collection.schema().name()).plan.indexes();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return describe();
    }

    private Planned planned(String name) {
        return plans.computeIfAbsent(name, this::plan);
    }

    private Planned plan(String name) {
        String where = describe() + " collection " + name;
        var info = call("describe collection " + name, client.getCollectionInfoAsync(name));
        long count = call("count points of " + name, client.countAsync(name, null, true));
        QdrantMapping.IdKind ids = QdrantMapping.IdKind.NUMERIC;
        ScrollResponse first = scroll(name, null, 1, false);
        if (first.getResultCount() > 0) {
            // Qdrant orders every number before every UUID: one scroll from 2^63 finds an id INT64 cannot hold
            boolean uuid = first.getResult(0).getId().hasUuid();
            boolean beyond = !uuid && scroll(name, PointKey.num(Long.MIN_VALUE), 1, false).getResultCount() > 0;
            if (uuid || beyond) {
                ids = QdrantMapping.IdKind.TEXT;
            }
        }
        return new Planned(QdrantMapping.plan(where, name, info, ids, settings.payloadFields,
                settings.nullableFields), count);
    }

    /** One scroll request; with or without payload and vectors. */
    ScrollResponse scroll(String collection, PointKey offset, int limit, boolean withData) {
        var req = ScrollPoints.newBuilder().setCollectionName(collection).setLimit(limit)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(withData))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(withData));
        if (offset != null) {
            req.setOffset(offset.toPointId());
        }
        return call("scroll collection " + collection + " from " + (offset == null ? "its first point"
                : "point " + offset), client.scrollAsync(req.build()));
    }

    /** Waits for a call; failures as MigrationException naming the server and what was asked, never the key. */
    <T> T call(String what, ListenableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new MigrationException(ErrorCode.INTERRUPTED, describe() + ": interrupted: " + what);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof StatusRuntimeException s) {
                Status st = s.getStatus();
                String reason = st.getCode() + (st.getDescription() == null ? "" : ": " + st.getDescription());
                ErrorCode code = switch (st.getCode()) {
                    case NOT_FOUND, INVALID_ARGUMENT -> ErrorCode.INVALID_CONFIG;
                    default -> ErrorCode.SOURCE_IO;
                };
                String hint = st.getCode() == Status.Code.UNAUTHENTICATED
                        || st.getCode() == Status.Code.PERMISSION_DENIED
                        ? " (the server refused the API key, or wants one)" : "";
                throw new MigrationException(code, describe() + ": " + what + " failed: " + reason + hint, s);
            }
            throw new MigrationException(ErrorCode.SOURCE_IO, describe() + ": " + what + " failed: " + c, c);
        }
    }

    /** Settings of a {@link QdrantSource}; {@link #build()} freezes them. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 6334;
        private boolean useTls;
        private String apiKey;
        private List<String> collections = List.of();
        private int pageSize = 256;
        private long partPoints = 100_000;
        private boolean payloadFields = true;
        private boolean nullableFields = true;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The server's host. Default {@code localhost}. */
        public Builder host(String host) {
            requireNonNull(host, "host is null");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host is blank");
            }
            this.host = host;
            return this;
        }

        /** The server's gRPC port (not the REST port 6333). Default 6334. */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port is not 1..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Whether to speak TLS. Default false. */
        public Builder useTls(boolean on) {
            this.useTls = on;
            return this;
        }

        /** The API key sent with every request (header {@code api-key}). Never logged or printed. Default none. */
        public Builder apiKey(String apiKey) {
            this.apiKey = requireNonNull(apiKey, "apiKey is null");
            return this;
        }

        /** The collections to read, by name. Default empty: every collection of the server. */
        public Builder collections(List<String> names) {
            this.collections = List.copyOf(requireNonNull(names, "collections is null"));
            return this;
        }

        /**
         * Points per scroll request with payload and vectors (at most the engine's batch size). Default 256.
         */
        public Builder pageSize(int points) {
            if (points < 1) {
                throw new IllegalArgumentException("pageSize must be positive: " + points);
            }
            this.pageSize = points;
            return this;
        }

        /**
         * Points per split (splits are read in parallel); cutting them scrolls the ids once. 0 reads each collection
         * as one split. Default 100000.
         */
        public Builder partPoints(long points) {
            if (points < 0) {
                throw new IllegalArgumentException("partPoints must not be negative: " + points);
            }
            this.partPoints = points;
            return this;
        }

        /**
         * Whether indexed payload keys become scalar fields (a point whose value does not fit its key's index type,
         * such as a list under a keyword index, then fails naming the point). Off, the whole payload goes to the
         * dynamic field. Default true.
         */
        public Builder payloadFields(boolean on) {
            this.payloadFields = on;
            return this;
        }

        /**
         * Whether payload fields are nullable, since any point may lack an indexed key. Turn it off for a target
         * without nullable fields (Milvus before 2.5): a point lacking a value then fails, naming it. Default true.
         */
        public Builder nullableFields(boolean on) {
            this.nullableFields = on;
            return this;
        }

        /** The timeout of each request. Default 60 s. */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout is null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The source; opens the gRPC channel but sends nothing (the server is asked when collections are listed). */
        public QdrantSource build() {
            var frozen = new Builder();
            frozen.host = host;
            frozen.port = port;
            frozen.useTls = useTls;
            frozen.apiKey = apiKey;
            frozen.collections = collections;
            frozen.pageSize = pageSize;
            frozen.partPoints = partPoints;
            frozen.payloadFields = payloadFields;
            frozen.nullableFields = nullableFields;
            frozen.timeout = timeout;
            return new QdrantSource(frozen);
        }

        int pageSizeValue() {
            return pageSize;
        }

        boolean nullableFieldsValue() {
            return nullableFields;
        }

        @Override
        public String toString() {
            return "QdrantSource.Builder[" + host + ":" + port + (useTls ? " tls" : "")
                    + (apiKey == null ? "" : " apiKey=***") + " collections=" + collections + "]";
        }
    }
}
