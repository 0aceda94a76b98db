package io.milvus.migration.pinecone;

import io.grpc.StatusRuntimeException;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.pinecone.clients.Pinecone;
import io.pinecone.configs.PineconeConfig;
import io.pinecone.configs.PineconeConnection;
import io.pinecone.exceptions.PineconeAuthorizationException;
import io.pinecone.exceptions.PineconeException;
import io.pinecone.exceptions.PineconeNotFoundException;
import io.pinecone.proto.DescribeIndexStatsRequest;
import io.pinecone.proto.DescribeIndexStatsResponse;
import io.pinecone.proto.FetchRequest;
import io.pinecone.proto.FetchResponse;
import io.pinecone.proto.ListRequest;
import io.pinecone.proto.ListResponse;
import io.pinecone.proto.VectorServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openapitools.db_control.client.model.IndexModel;
import org.openapitools.db_control.client.model.IndexModelPodBased;

/**
 * The calls the source makes, through Pinecone's Java client: {@code describe_index} on the control plane (REST,
 * {@link Pinecone#describeIndex}) and {@code DescribeIndexStats}, {@code List} and {@code Fetch} on the index's data
 * plane (gRPC, the client's {@link PineconeConnection} and its generated {@code VectorService} stub). The connection
 * is opened here rather than with {@code Pinecone.getIndexConnection}, which keeps connections in a JVM-wide map
 * by index name; and each call gets a deadline, which the client's {@code Index} methods do not set. Thread-safe.
 * The API key is held only inside the client's configuration and never printed.
 */
final class PineconeClient implements AutoCloseable {
    /** Pinecone's limit of ids per fetch request. */
    static final int MAX_FETCH_IDS = 1000;

    private final String index;
    private final String where;
    private final Duration timeout;
    private final IndexModel model;
    private final PineconeConnection connection;
    private final VectorServiceGrpc.VectorServiceBlockingStub stub;

    private PineconeClient(String index, String where, Duration timeout, IndexModel model,
                           PineconeConnection connection) {
        this.index = index;
        this.where = where;
        this.timeout = timeout;
        this.model = model;
        this.connection = connection;
        this.stub = connection.getBlockingStub();
    }

    /**
     * Describes the index on the control plane and opens its data plane.
     *
     * @param host the data plane's host:port; null for the one the control plane names
     */
    static PineconeClient open(String apiKey, String controllerUrl, String index, String host, boolean useTls,
                               Duration timeout, String where) {
        IndexModel model;
        try {
            Pinecone control = new Pinecone.Builder(apiKey).withHost(controllerUrl).withTlsEnabled(useTls)
                    .withSourceTag("milvus_migration").build();
            model = control.describeIndex(index);
        } catch (PineconeNotFoundException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": the control plane at " + controllerUrl
                    + " knows no index '" + index + "'");
        } catch (PineconeAuthorizationException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": the control plane at " + controllerUrl
                    + " refused the API key (describe index " + index + ")");
        } catch (PineconeException | IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": describe index " + index + " at "
                    + controllerUrl + " failed: " + reason(e), e);
        }
        if (model == null || model.getHost() == null && host == null) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": the control plane named no host for "
                    + "index " + index);
        }
        if (model.getSpec() != null && model.getSpec().getActualInstance() instanceof IndexModelPodBased) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": index " + index + " is pod-based; "
                    + "Pinecone lists record ids (the only way to read every record) of serverless indexes only. "
                    + "Move it to a serverless index (Pinecone's collections and backups do that) and migrate that");
        }
        var config = new PineconeConfig(apiKey, "milvus_migration");
        config.setHost(host != null ? host : model.getHost());
        config.setTLSEnabled(useTls);
        PineconeConnection connection;
        try {
            connection = new PineconeConnection(config, index);
        } catch (PineconeException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": cannot open the data plane of index "
                    + index + " at " + config.getHost() + ": " + reason(e), e);
        }
        return new PineconeClient(index, where, timeout, model, connection);
    }

    /** The first message along the causes (the client wraps a refused connection in an exception without one). */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                String first = t.getMessage().strip().lines().findFirst().orElse("");
                return t == e ? first : t.getClass().getSimpleName() + ": " + first;
            }
        }
        return e.getClass().getSimpleName();
    }

    /** What the control plane says of the index. */
    IndexModel model() {
        return model;
    }

    /** The data plane's host. */
    String host() {
        return connection.toString();
    }

    DescribeIndexStatsResponse stats() {
        return call("describe index stats", () -> deadline().describeIndexStats(
                DescribeIndexStatsRequest.getDefaultInstance()));
    }

    /** One page of ids of a namespace, from {@code token} ("" for the first page). */
    ListResponse list(String namespace, int limit, String token) {
        var r = ListRequest.newBuilder().setNamespace(namespace).setLimit(limit);
        if (!token.isEmpty()) {
            r.setPaginationToken(token);
        }
        return call("list ids of namespace '" + namespace + "'", () -> deadline().list(r.build()));
    }

    /** The records of these ids (at most {@link #MAX_FETCH_IDS}). */
    FetchResponse fetch(String namespace, List<String> ids) {
        return call("fetch " + ids.size() + " records of namespace '" + namespace + "'",
                () -> deadline().fetch(FetchRequest.newBuilder().setNamespace(namespace).addAllIds(ids).build()));
    }

    private VectorServiceGrpc.VectorServiceBlockingStub deadline() {
        return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            // the status carries the server's code and description, never the request's headers
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": " + what + " of index " + index + " at "
                    + host() + " failed: " + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "pinecone index " + index + " at " + host();
    }
}
