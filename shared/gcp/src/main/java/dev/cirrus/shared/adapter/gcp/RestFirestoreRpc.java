package dev.cirrus.shared.adapter.gcp;

import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.httpjson.InstantiatingHttpJsonChannelProvider;
import com.google.api.gax.rpc.BidiStreamingCallable;
import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.api.gax.rpc.ServerStreamingCallable;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.spi.v1.FirestoreRpc;
import com.google.cloud.firestore.v1.FirestoreClient.ListCollectionIdsPagedResponse;
import com.google.cloud.firestore.v1.FirestoreClient.ListDocumentsPagedResponse;
import com.google.cloud.firestore.v1.FirestoreClient.PartitionQueryPagedResponse;
import com.google.cloud.firestore.v1.stub.FirestoreStub;
import com.google.cloud.firestore.v1.stub.FirestoreStubSettings;
import com.google.cloud.firestore.v1.stub.HttpJsonFirestoreStub;
import com.google.firestore.v1.BatchGetDocumentsRequest;
import com.google.firestore.v1.BatchGetDocumentsResponse;
import com.google.firestore.v1.BatchWriteRequest;
import com.google.firestore.v1.BatchWriteResponse;
import com.google.firestore.v1.BeginTransactionRequest;
import com.google.firestore.v1.BeginTransactionResponse;
import com.google.firestore.v1.CommitRequest;
import com.google.firestore.v1.CommitResponse;
import com.google.firestore.v1.ExecutePipelineRequest;
import com.google.firestore.v1.ExecutePipelineResponse;
import com.google.firestore.v1.ListCollectionIdsRequest;
import com.google.firestore.v1.ListDocumentsRequest;
import com.google.firestore.v1.ListenRequest;
import com.google.firestore.v1.ListenResponse;
import com.google.firestore.v1.PartitionQueryRequest;
import com.google.firestore.v1.RollbackRequest;
import com.google.firestore.v1.RunAggregationQueryRequest;
import com.google.firestore.v1.RunAggregationQueryResponse;
import com.google.firestore.v1.RunQueryRequest;
import com.google.firestore.v1.RunQueryResponse;
import com.google.protobuf.Empty;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Firestore's RPCs over its REST transport (the generated {@link HttpJsonFirestoreStub}) instead of
 * gRPC, plugged in under the official high-level client through {@link
 * FirestoreOptions.Builder#setServiceRpcFactory}: documents, transactions, queries, aggregations
 * and batches work unchanged, and a function never loads gRPC or Netty. Node's Firestore client
 * does the same ({@code preferRest}) for the same reason: start-up time.
 *
 * <p>Errors carry the status their body names ({@link RestStatus}). REST has no bidirectional
 * streams, so snapshot listeners are refused with a message naming the gRPC transport.
 */
final class RestFirestoreRpc implements FirestoreRpc {
  private final FirestoreStub stub;
  private final ScheduledExecutorService executor;
  private final ExecutorService calls;

  private RestFirestoreRpc(
      FirestoreStub stub, ScheduledExecutorService executor, ExecutorService calls) {
    this.stub = stub;
    this.executor = executor;
    this.calls = calls;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The RPCs for {@code options}: its project, database, credentials, endpoint and retries. */
  static RestFirestoreRpc create(FirestoreOptions options) {
    ScheduledExecutorService executor =
        Executors.newScheduledThreadPool(2, daemon("firestore-rest-timer"));
    // Each REST call blocks a thread until its answer; a bounded pool would let transactions that
    // wait on one another's locks (the emulator holds a contended read) starve the commit that
    // frees them.
    ExecutorService calls = Executors.newCachedThreadPool(daemon("firestore-rest"));
    String endpoint =
        options.getEmulatorHost() != null
            ? "http://" + options.getEmulatorHost()
            : FirestoreStubSettings.getDefaultEndpoint();
    try {
      FirestoreStubSettings.Builder settings =
          FirestoreStubSettings.newHttpJsonBuilder()
              .setEndpoint(endpoint)
              .setCredentialsProvider(
                  options.getEmulatorHost() != null
                      ? NoCredentialsProvider.create()
                      : options.getCredentialsProvider())
              .setTransportChannelProvider(
                  InstantiatingHttpJsonChannelProvider.newBuilder()
                      .setEndpoint(endpoint)
                      .setExecutor(calls)
                      .build())
              .setBackgroundExecutorProvider(FixedExecutorProvider.create(executor))
              .setHeaderProvider(FixedHeaderProvider.create(headers(options)));
      settings.applyToAllUnaryMethods(
          unary -> {
            unary.setRetrySettings(options.getRetrySettings());
            return null;
          });
      settings.runQuerySettings().setRetrySettings(options.getRetrySettings());
      settings.batchGetDocumentsSettings().setRetrySettings(options.getRetrySettings());
      return new RestFirestoreRpc(HttpJsonFirestoreStub.create(settings.build()), executor, calls);
    } catch (IOException e) {
      executor.shutdownNow();
      calls.shutdownNow();
      throw new IllegalStateException("cannot create Firestore's REST transport", e);
    }
  }

  /**
   * The database's name for Firestore's routing, as the gRPC client sends it; for the emulator, its
   * administrator token ({@code owner}), which the gRPC client sends through its fake credentials
   * but gax's HTTP transport does not, so the emulator's security rules refused it.
   */
  private static Map<String, String> headers(FirestoreOptions options) {
    Map<String, String> headers = new HashMap<>();
    headers.put(
        "google-cloud-resource-prefix",
        "projects/" + options.getProjectId() + "/databases/" + options.getDatabaseId());
    if (options.getEmulatorHost() != null) {
      headers.put("Authorization", "Bearer owner");
    }
    return headers;
  }

  @Override
  public UnaryCallable<CommitRequest, CommitResponse> commitCallable() {
    return RestStatus.unary(stub.commitCallable());
  }

  @Override
  public UnaryCallable<BatchWriteRequest, BatchWriteResponse> batchWriteCallable() {
    return RestStatus.unary(stub.batchWriteCallable());
  }

  @Override
  public ServerStreamingCallable<BatchGetDocumentsRequest, BatchGetDocumentsResponse>
      batchGetDocumentsCallable() {
    return RestStatus.streaming(stub.batchGetDocumentsCallable());
  }

  @Override
  public ScheduledExecutorService getExecutor() {
    return executor;
  }

  @Override
  public ServerStreamingCallable<RunQueryRequest, RunQueryResponse> runQueryCallable() {
    return RestStatus.streaming(stub.runQueryCallable());
  }

  @Override
  public ServerStreamingCallable<ExecutePipelineRequest, ExecutePipelineResponse>
      executePipelineCallable() {
    return RestStatus.streaming(stub.executePipelineCallable());
  }

  @Override
  public ServerStreamingCallable<RunAggregationQueryRequest, RunAggregationQueryResponse>
      runAggregationQueryCallable() {
    return RestStatus.streaming(stub.runAggregationQueryCallable());
  }

  @Override
  public UnaryCallable<BeginTransactionRequest, BeginTransactionResponse>
      beginTransactionCallable() {
    return RestStatus.unary(stub.beginTransactionCallable());
  }

  @Override
  public UnaryCallable<RollbackRequest, Empty> rollbackCallable() {
    return RestStatus.unary(stub.rollbackCallable());
  }

  @Override
  public UnaryCallable<ListCollectionIdsRequest, ListCollectionIdsPagedResponse>
      listCollectionIdsPagedCallable() {
    return stub.listCollectionIdsPagedCallable();
  }

  @Override
  public UnaryCallable<PartitionQueryRequest, PartitionQueryPagedResponse>
      partitionQueryPagedCallable() {
    return stub.partitionQueryPagedCallable();
  }

  @Override
  public UnaryCallable<ListDocumentsRequest, ListDocumentsPagedResponse>
      listDocumentsPagedCallable() {
    return stub.listDocumentsPagedCallable();
  }

  /**
   * @throws UnsupportedOperationException always: listeners need a bidirectional stream
   */
  @Override
  public BidiStreamingCallable<ListenRequest, ListenResponse> listenCallable() {
    throw new UnsupportedOperationException(
        "Firestore snapshot listeners need the gRPC transport: set "
            + "CIRRUS_FIRESTORE_TRANSPORT=grpc for this function");
  }

  @Override
  public void shutdown() {
    stub.shutdown();
    executor.shutdown();
    calls.shutdown();
  }

  @Override
  public void shutdownNow() {
    stub.shutdownNow();
    executor.shutdownNow();
    calls.shutdownNow();
  }

  @Override
  public void close() throws Exception {
    stub.close();
    executor.shutdown();
    calls.shutdown();
    executor.awaitTermination(1, TimeUnit.SECONDS);
  }
}
