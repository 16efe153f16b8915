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
      Throwable cause = e.getCause();
      if (cause instanceof com.google.api.gax.rpc.ApiException api && api.isRetryable()) {
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
}
