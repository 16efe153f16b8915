package dev.cirrus.shared.adapter.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.api.gax.httpjson.HttpJsonStatusCode;
import com.google.api.gax.rpc.ApiCallContext;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.ServerStreamingCallable;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.StreamController;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.common.util.concurrent.MoreExecutors;
import java.io.IOException;

/**
 * The canonical status of a REST error, read from its body. gax's HTTP transport derives the status
 * from the HTTP code alone, so Firestore's {@code ALREADY_EXISTS} (409) reaches the caller as
 * {@code ABORTED} (409) — a code the Firestore client retries transactions on — and a {@code
 * create} of an existing document looks like contention (sdk-platform-java issue 2620). The body
 * names the real status; these wrappers put it back, so REST fails exactly as gRPC does.
 */
final class RestStatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RestStatus() {}

  static <Q, R> UnaryCallable<Q, R> unary(UnaryCallable<Q, R> inner) {
    return new UnaryCallable<>() {
      @Override
      public ApiFuture<R> futureCall(Q request, ApiCallContext context) {
        return ApiFutures.catchingAsync(
            inner.futureCall(request, context),
            ApiException.class,
            e -> ApiFutures.immediateFailedFuture(corrected(e)),
            MoreExecutors.directExecutor());
      }
    };
  }

  static <Q, R> ServerStreamingCallable<Q, R> streaming(ServerStreamingCallable<Q, R> inner) {
    return new ServerStreamingCallable<>() {
      @Override
      public void call(Q request, ResponseObserver<R> observer, ApiCallContext context) {
        inner.call(
            request,
            new ResponseObserver<>() {
              @Override
              public void onStart(StreamController controller) {
                observer.onStart(controller);
              }

              @Override
              public void onResponse(R response) {
                observer.onResponse(response);
              }

              @Override
              public void onError(Throwable t) {
                observer.onError(t instanceof ApiException e ? corrected(e) : t);
              }

              @Override
              public void onComplete() {
                observer.onComplete();
              }
            },
            context);
      }
    };
  }

  /** {@code e} with the status its body names, when that differs from the HTTP code's. */
  static ApiException corrected(ApiException e) {
    if (!(e.getCause() instanceof HttpResponseException http) || http.getContent() == null) {
      return e;
    }
    StatusCode.Code named;
    try {
      JsonNode status = JSON.readTree(http.getContent()).path("error").path("status");
      named = StatusCode.Code.valueOf(status.asText());
    } catch (IOException | IllegalArgumentException unreadable) {
      return e;
    }
    if (named == e.getStatusCode().getCode()) {
      return e;
    }
    return ApiExceptionFactory.createException(
        http.getContent(), http, HttpJsonStatusCode.of(named), e.isRetryable());
  }
}
