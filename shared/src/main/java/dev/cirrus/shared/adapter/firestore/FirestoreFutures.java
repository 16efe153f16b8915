package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.shared.error.Unavailable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for Firestore futures, turning retryable failures into {@link Unavailable} (503). */
final class FirestoreFutures {
  private static final java.util.Set<io.grpc.Status.Code> TRANSIENT =
      java.util.Set.of(
          io.grpc.Status.Code.ABORTED,
          io.grpc.Status.Code.UNAVAILABLE,
          io.grpc.Status.Code.DEADLINE_EXCEEDED,
          io.grpc.Status.Code.RESOURCE_EXHAUSTED);

  private FirestoreFutures() {}

  static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while waiting for Firestore", e);
    } catch (ExecutionException e) {
      // A read inside a transaction callback fails with its own ExecutionException, which the
      // transaction then fails with: look through the wrappers for what really happened.
      Throwable cause = e.getCause();
      while (cause instanceof ExecutionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof com.google.api.gax.rpc.ApiException api
          && (api.isRetryable() || TRANSIENT.contains(grpcCode(api)))) {
        throw new Unavailable("Firestore is unavailable, try again", api);
      }
      if (cause instanceof com.google.cloud.firestore.FirestoreException firestore
          && firestore.getStatus() != null
          && TRANSIENT.contains(firestore.getStatus().getCode())) {
        // A transaction that lost too many times to contention, a deadline: worth a retry.
        throw new Unavailable("Firestore is busy, try again", firestore);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new Unavailable("Firestore call failed", cause);
    }
  }

  private static io.grpc.Status.Code grpcCode(com.google.api.gax.rpc.ApiException api) {
    Object code = api.getStatusCode().getCode();
    return code instanceof com.google.api.gax.rpc.StatusCode.Code c
        ? io.grpc.Status.Code.valueOf(c.name())
        : io.grpc.Status.Code.UNKNOWN;
  }
}
