package io.milvus.migration.pinecone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pinecone.proto.DescribeIndexStatsRequest;
import io.pinecone.proto.DescribeIndexStatsResponse;
import io.pinecone.proto.FetchRequest;
import io.pinecone.proto.FetchResponse;
import io.pinecone.proto.ListItem;
import io.pinecone.proto.ListRequest;
import io.pinecone.proto.ListResponse;
import io.pinecone.proto.NamespaceSummary;
import io.pinecone.proto.Pagination;
import io.pinecone.proto.Usage;
import io.pinecone.proto.Vector;
import io.pinecone.proto.VectorServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A SPEC-FOLLOWING STUB of Pinecone, not Pinecone: no Pinecone server can run here (Pinecone Local is a container
 * image only), so the source is tested against this. It serves, on loopback ports, what the source calls, as
 * Pinecone's published API (version 2025-10) describes it:
 * <ul>
 *   <li>control plane, REST: {@code GET /indexes/{name}} (describe index) answering the {@code IndexModel} JSON
 *       (name, dimension, metric, host, spec, status, vector_type), 401 without the right {@code Api-Key} header, 404
 *       for an unknown index, with Pinecone's error body;</li>
 *   <li>data plane, gRPC {@code VectorService} (the client's own generated service definition):
 *       {@code DescribeIndexStats} (namespaces with their record counts, dimension, total, metric, vector type),
 *       {@code List} (ids of one namespace in bytewise sorted order, an optional prefix, {@code limit} ids per page,
 *       100 when not given, and a {@code pagination.next} token only while more ids remain; the token is opaque to
 *       clients and, as Pinecone's are, names the last id listed) and {@code Fetch} (at most 1000 ids; the records
 *       found, with values, sparse values and metadata; ids not found are left out). The default namespace is
 *       {@code __default__} in statistics and answers to "" too. Every call without the right {@code api-key} fails
 *       with UNAUTHENTICATED. Other methods answer UNIMPLEMENTED.</li>
 * </ul>
 * It keeps the ListRequests it got, so tests can check page sizes and tokens.
 */
final class PineconeSpecStub implements AutoCloseable {
    static final String DEFAULT_NAMESPACE = "__default__";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<String> BYTEWISE = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** One index: its description and its records by namespace. */
    static final class IndexData {
        final String name;
        final Integer dimension;
        final String metric;
        final String vectorType;
        final String spec;
        final Map<String, TreeMap<String, Vector>> namespaces = new ConcurrentHashMap<>();

        IndexData(String name, Integer dimension, String metric, String vectorType, String spec) {
            this.name = name;
            this.dimension = dimension;
            this.metric = metric;
            this.vectorType = vectorType;
            this.spec = spec;
        }

        /** Upserts a record into a namespace ("" for the default one). */
        IndexData put(String namespace, Vector v) {
            namespaces.computeIfAbsent(canonical(namespace), k -> new TreeMap<>(BYTEWISE)).put(v.getId(), v);
            return this;
        }
    }

    private final String apiKey;
    private final Map<String, IndexData> indexes = new ConcurrentHashMap<>();
    private final HttpServer control;
    private final Server data;
    final List<ListRequest> listRequests = new CopyOnWriteArrayList<>();
    final List<Integer> fetchSizes = new CopyOnWriteArrayList<>();
    /** Fetches still answered before every fetch fails with UNAVAILABLE (a fault for tests); unbounded by default. */
    private final java.util.concurrent.atomic.AtomicLong fetchesBeforeFault = new java.util.concurrent.atomic.AtomicLong(
            Long.MAX_VALUE);

    PineconeSpecStub(String apiKey) throws IOException {
        this.apiKey = apiKey;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        control = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        control.createContext("/indexes/", this::describeIndex);
        control.start();
        ServerInterceptor auth = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                                ServerCallHandler<Q, R> next) {
                String key = headers.get(Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER));
                if (!apiKey.equals(key)) {
                    call.close(Status.UNAUTHENTICATED.withDescription("Invalid API Key"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
        data = NettyServerBuilder.forAddress(new InetSocketAddress(loopback, 0))
                .addService(ServerInterceptors.intercept(new Service(), auth)).build().start();
    }

    /** The control plane's URL. */
    String controllerUrl() {
        return "http://127.0.0.1:" + control.getAddress().getPort();
    }

    /** The data plane's host:port, as describe index names it. */
    String dataHost() {
        return "127.0.0.1:" + data.getPort();
    }

    /** After {@code n} more fetches, every fetch fails with UNAVAILABLE until {@link #heal()}. */
    void failFetchesAfter(long n) {
        fetchesBeforeFault.set(n);
    }

    void heal() {
        fetchesBeforeFault.set(Long.MAX_VALUE);
    }

    IndexData index(String name, Integer dimension, String metric, String vectorType) {
        var d = new IndexData(name, dimension, metric, vectorType, "serverless");
        indexes.put(name, d);
        return d;
    }

    IndexData podIndex(String name, int dimension, String metric) {
        var d = new IndexData(name, dimension, metric, "dense", "pod");
        indexes.put(name, d);
        return d;
    }

    private static String canonical(String namespace) {
        return namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    }

    private void describeIndex(HttpExchange ex) throws IOException {
        try (ex) {
            String name = ex.getRequestURI().getPath().substring("/indexes/".length());
            if (!"GET".equals(ex.getRequestMethod())) {
                reply(ex, 405, error("METHOD_NOT_ALLOWED", "only GET", 405));
                return;
            }
            if (!apiKey.equals(ex.getRequestHeaders().getFirst("Api-Key"))) {
                reply(ex, 401, error("UNAUTHENTICATED", "Invalid API Key", 401));
                return;
            }
            IndexData d = indexes.get(name);
            if (d == null) {
                reply(ex, 404, error("NOT_FOUND", "Resource " + name + " not found", 404));
                return;
            }
            ObjectNode m = JSON.createObjectNode();
            m.put("name", d.name);
            if (d.dimension != null) {
                m.put("dimension", d.dimension);
            }
            m.put("metric", d.metric);
            m.put("host", dataHost());
            m.put("deletion_protection", "disabled");
            m.putObject("tags");
            ObjectNode spec = m.putObject("spec");
            if (d.spec.equals("pod")) {
                spec.putObject("pod").put("environment", "us-east-1-aws").put("replicas", 1).put("shards", 1)
                        .put("pod_type", "p1.x1").put("pods", 1);
            } else {
                ObjectNode s = spec.putObject("serverless").put("cloud", "aws").put("region", "us-east-1");
                s.putObject("read_capacity").put("mode", "OnDemand").putObject("status").put("state", "Ready");
            }
            m.putObject("status").put("ready", true).put("state", "Ready");
            m.put("vector_type", d.vectorType);
            reply(ex, 200, m);
        }
    }

    private static ObjectNode error(String code, String message, int status) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error").put("code", code).put("message", message);
        e.put("status", status);
        return e;
    }

    private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** The data plane of the single index this stub's data host serves (the last one described, as for a host). */
    private final class Service extends VectorServiceGrpc.VectorServiceImplBase {
        private IndexData only() {
            // each Pinecone index has its own host; tests give this stub's data plane one index at a time
            return indexes.values().stream().filter(d -> !d.spec.equals("pod")).reduce((a, b) -> b)
                    .orElseThrow(() -> Status.NOT_FOUND.withDescription("no index").asRuntimeException());
        }

        @Override
        public void describeIndexStats(DescribeIndexStatsRequest request,
                                       StreamObserver<DescribeIndexStatsResponse> out) {
            IndexData d = only();
            var r = DescribeIndexStatsResponse.newBuilder().setMetric(d.metric).setVectorType(d.vectorType);
            if (d.dimension != null) {
                r.setDimension(d.dimension);
            }
            int total = 0;
            for (var e : d.namespaces.entrySet()) {
                r.putNamespaces(e.getKey(), NamespaceSummary.newBuilder().setVectorCount(e.getValue().size()).build());
                total += e.getValue().size();
            }
            out.onNext(r.setTotalVectorCount(total).build());
            out.onCompleted();
        }

        @Override
        public void list(ListRequest request, StreamObserver<ListResponse> out) {
            listRequests.add(request);
            if (request.hasLimit() && request.getLimit() < 1) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("limit must be positive").asRuntimeException());
                return;
            }
            int limit = request.hasLimit() ? request.getLimit() : 100;
            String prefix = request.hasPrefix() ? request.getPrefix() : "";
            String skipPast = null;
            if (request.hasPaginationToken() && !request.getPaginationToken().isEmpty()) {
                String[] t;
                try {
                    t = new String(Base64.getDecoder().decode(request.getPaginationToken()), StandardCharsets.UTF_8)
                            .split("\n", 2);
                } catch (IllegalArgumentException e) {
                    t = new String[0];
                }
                if (t.length != 2 || !t[0].equals(prefix)) {
                    out.onError(Status.INVALID_ARGUMENT.withDescription("invalid pagination token")
                            .asRuntimeException());
                    return;
                }
                skipPast = t[1];
            }
            TreeMap<String, Vector> ns = only().namespaces.getOrDefault(canonical(request.getNamespace()),
                    new TreeMap<>(BYTEWISE));
            var ids = new ArrayList<String>();
            boolean more = false;
            for (String id : skipPast == null ? ns.navigableKeySet() : ns.navigableKeySet().tailSet(skipPast, false)) {
                if (!id.startsWith(prefix)) {
                    continue;
                }
                if (ids.size() == limit) {
                    more = true;
                    break;
                }
                ids.add(id);
            }
            var r = ListResponse.newBuilder().setNamespace(request.getNamespace())
                    .setUsage(Usage.newBuilder().setReadUnits(1));
            ids.forEach(id -> r.addVectors(ListItem.newBuilder().setId(id)));
            if (more) {
                String token = Base64.getEncoder().encodeToString((prefix + "\n" + ids.get(ids.size() - 1))
                        .getBytes(StandardCharsets.UTF_8));
                r.setPagination(Pagination.newBuilder().setNext(token));
            }
            out.onNext(r.build());
            out.onCompleted();
        }

        @Override
        public void fetch(FetchRequest request, StreamObserver<FetchResponse> out) {
            if (fetchesBeforeFault.getAndDecrement() <= 0) {
                out.onError(Status.UNAVAILABLE.withDescription("injected fault").asRuntimeException());
                return;
            }
            fetchSizes.add(request.getIdsCount());
            if (request.getIdsCount() == 0 || request.getIdsCount() > 1000) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("between 1 and 1000 ids per fetch, not "
                        + request.getIdsCount()).asRuntimeException());
                return;
            }
            TreeMap<String, Vector> ns = only().namespaces.getOrDefault(canonical(request.getNamespace()),
                    new TreeMap<>(BYTEWISE));
            var r = FetchResponse.newBuilder().setNamespace(request.getNamespace())
                    .setUsage(Usage.newBuilder().setReadUnits(1));
            for (String id : request.getIdsList()) {
                Vector v = ns.get(id);
                if (v != null) {
                    r.putVectors(id, v);
                }
            }
            out.onNext(r.build());
            out.onCompleted();
        }
    }

    @Override
    public void close() {
        data.shutdownNow();
        control.stop(0);
    }
}
