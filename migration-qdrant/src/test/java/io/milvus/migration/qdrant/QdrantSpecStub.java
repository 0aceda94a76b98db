package io.milvus.migration.qdrant;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.NamedVectorsOutput;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.qdrant.client.grpc.PointsGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SPEC-FOLLOWING STUB of Qdrant's gRPC API, NOT a Qdrant server (no Qdrant binary can be had here): a loopback gRPC
 * server in this JVM that answers the calls {@link QdrantSource} makes (Collections/List, Collections/Get,
 * Points/Scroll, Points/Count) as Qdrant's published protos ({@code collections.proto}, {@code points.proto}) describe
 * them. Scroll: points in id order (every number, unsigned, before every UUID; UUIDs by their bytes), {@code offset}
 * inclusive, {@code limit} default 10, {@code next_page_offset} the id of the first point after the page and absent at
 * the end, {@code with_payload} (enable, include, exclude) and {@code with_vectors} (enable, include by name; a point's
 * named vectors only those it has). Requests with a filter are refused (the source sends none). With an API key set,
 * calls without the {@code api-key} header that matches are refused UNAUTHENTICATED, as Qdrant does.
 */
public final class QdrantSpecStub implements AutoCloseable {
    /** A stored point: its payload and its vectors ("" for the unnamed one). */
    record StoredPoint(Map<String, Value> payload, Map<String, VectorOutput> vectors) {
    }

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final Map<String, CollectionInfo> infos = new ConcurrentHashMap<>();
    private final Map<String, TreeMap<PointKey, StoredPoint>> points = new ConcurrentHashMap<>();
    private final Map<String, Boolean> unnamed = new ConcurrentHashMap<>();
    private final String apiKey;
    private final Server server;
    /** Scroll requests that carried payload or vectors. */
    final AtomicInteger dataScrolls = new AtomicInteger();

    /** Starts the stub on a free loopback port; with {@code apiKey} (may be null) every call must carry it. */
    public QdrantSpecStub(String apiKey) throws IOException {
        this.apiKey = apiKey;
        ServerInterceptor auth = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                              ServerCallHandler<Q, A> next) {
                if (QdrantSpecStub.this.apiKey != null && !QdrantSpecStub.this.apiKey.equals(headers.get(API_KEY))) {
                    call.close(Status.UNAUTHENTICATED.withDescription("Invalid api-key"), new Metadata());
                    return new ServerCall.Listener<>() { };
                }
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new CollectionsService(), auth))
                .addService(ServerInterceptors.intercept(new PointsService(), auth))
                .build().start();
    }

    /** The loopback port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** Adds a collection with these params and {@code info}'s payload schema and HNSW config. */
    void collection(String name, CollectionParams params, CollectionInfo.Builder info) {
        infos.put(name, info.setStatus(CollectionStatus.Green)
                .setConfig(CollectionConfig.newBuilder(info.getConfig()).setParams(params)).build());
        points.put(name, new TreeMap<>());
        // as Qdrant answers: the single-vector form only for a collection whose one vector is the unnamed one
        unnamed.put(name, params.getVectorsConfig().hasParams() && params.getSparseVectorsConfig().getMapCount() == 0);
    }

    void upsert(String collection, PointKey id, Map<String, Value> payload, Map<String, VectorOutput> vectors) {
        points.get(collection).put(id, new StoredPoint(new LinkedHashMap<>(payload), new LinkedHashMap<>(vectors)));
        infos.computeIfPresent(collection, (k, i) -> i.toBuilder().setPointsCount(points.get(k).size()).build());
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {
        @Override
        public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> out) {
            var r = ListCollectionsResponse.newBuilder().setTime(0.0001);
            infos.keySet().forEach(n -> r.addCollections(CollectionDescription.newBuilder().setName(n)));
            out.onNext(r.build());
            out.onCompleted();
        }

        @Override
        public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> out) {
            CollectionInfo info = infos.get(request.getCollectionName());
            if (info == null) {
                out.onError(notFound(request.getCollectionName()).asRuntimeException());
                return;
            }
            out.onNext(GetCollectionInfoResponse.newBuilder().setResult(info).setTime(0.0001).build());
            out.onCompleted();
        }
    }

    private final class PointsService extends PointsGrpc.PointsImplBase {
        @Override
        public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> out) {
            var stored = points.get(request.getCollectionName());
            if (stored == null) {
                out.onError(notFound(request.getCollectionName()).asRuntimeException());
                return;
            }
            if (request.hasFilter() || request.hasOrderBy()) {
                out.onError(Status.UNIMPLEMENTED.withDescription("this stub answers scrolls without filter and"
                        + " order_by only").asRuntimeException());
                return;
            }
            int limit = request.hasLimit() ? request.getLimit() : 10;
            if (limit < 1) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("Validation error in body: [limit: value "
                        + limit + " invalid, must be 1 or larger]").asRuntimeException());
                return;
            }
            var view = request.hasOffset() ? stored.tailMap(PointKey.of(request.getOffset()), true) : stored;
            boolean unnamedVector = unnamed.get(request.getCollectionName());
            var r = ScrollResponse.newBuilder().setTime(0.0001);
            boolean data = false;
            int n = 0;
            for (var e : view.entrySet()) {
                if (n == limit) {
                    r.setNextPageOffset(e.getKey().toPointId());
                    break;
                }
                var p = RetrievedPoint.newBuilder().setId(e.getKey().toPointId());
                Map<String, Value> payload = payload(e.getValue().payload(), request.getWithPayload());
                p.putAllPayload(payload);
                VectorsOutput vectors = vectors(e.getValue().vectors(), request.hasWithVectors()
                        ? request.getWithVectors() : WithVectorsSelector.getDefaultInstance(), unnamedVector);
                if (vectors != null) {
                    p.setVectors(vectors);
                    data = true;
                }
                data |= !payload.isEmpty();
                r.addResult(p);
                n++;
            }
            if (data) {
                dataScrolls.incrementAndGet();
            }
            out.onNext(r.build());
            out.onCompleted();
        }

        @Override
        public void count(CountPoints request, StreamObserver<CountResponse> out) {
            var stored = points.get(request.getCollectionName());
            if (stored == null) {
                out.onError(notFound(request.getCollectionName()).asRuntimeException());
                return;
            }
            if (request.hasFilter()) {
                out.onError(Status.UNIMPLEMENTED.withDescription("this stub counts without a filter only")
                        .asRuntimeException());
                return;
            }
            out.onNext(CountResponse.newBuilder().setResult(CountResult.newBuilder().setCount(stored.size()))
                    .setTime(0.0001).build());
            out.onCompleted();
        }
    }

    private static Map<String, Value> payload(Map<String, Value> all, WithPayloadSelector s) {
        return switch (s.getSelectorOptionsCase()) {
            case ENABLE -> s.getEnable() ? all : Map.of();
            case INCLUDE -> {
                var keep = new HashSet<>(s.getInclude().getFieldsList());
                var m = new LinkedHashMap<String, Value>();
                all.forEach((k, v) -> {
                    if (keep.contains(k)) {
                        m.put(k, v);
                    }
                });
                yield m;
            }
            case EXCLUDE -> {
                var drop = new HashSet<>(s.getExclude().getFieldsList());
                var m = new LinkedHashMap<String, Value>();
                all.forEach((k, v) -> {
                    if (!drop.contains(k)) {
                        m.put(k, v);
                    }
                });
                yield m;
            }
            default -> Map.of();   // an unset selector returns no payload
        };
    }

    /** The point's vectors as Qdrant returns them; null when none are asked for. */
    private static VectorsOutput vectors(Map<String, VectorOutput> all, WithVectorsSelector s, boolean unnamedVector) {
        List<String> names;
        switch (s.getSelectorOptionsCase()) {
            case ENABLE -> {
                if (!s.getEnable()) {
                    return null;
                }
                names = new ArrayList<>(all.keySet());
            }
            case INCLUDE -> names = s.getInclude().getNamesList();
            default -> {
                return null;
            }
        }
        if (unnamedVector) {
            VectorOutput v = all.get("");
            return v == null || !names.contains("") && s.hasInclude() ? null
                    : VectorsOutput.newBuilder().setVector(v).build();
        }
        var named = NamedVectorsOutput.newBuilder();
        for (String n : names) {
            if (all.containsKey(n)) {
                named.putVectors(n, all.get(n));
            }
        }
        return VectorsOutput.newBuilder().setVectors(named).build();
    }

    private static Status notFound(String collection) {
        return Status.NOT_FOUND.withDescription("Not found: Collection `" + collection + "` doesn't exist!");
    }
}
