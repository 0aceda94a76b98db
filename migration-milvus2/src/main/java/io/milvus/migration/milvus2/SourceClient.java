package io.milvus.migration.milvus2;

import io.milvus.client.MilvusServiceClient;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.param.ConnectParam;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's client with one addition: a query sent as the protocol's own request, because the SDK's query parameters
 * cannot carry the guarantee timestamp that reads every page at one snapshot.
 */
final class SourceClient extends MilvusServiceClient {
    SourceClient(ConnectParam connect) {
        super(connect);
    }

    /** Sends a query; gRPC failures (such as a too large answer) come out as {@link io.grpc.StatusRuntimeException}. */
    QueryResults query(QueryRequest request, long timeoutMillis) {
        return blockingStub().withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS).query(request);
    }
}
