package dev.cirrus.shared.adapter.firestore;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.FirestoreException;
import dev.cirrus.shared.error.Unavailable;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for Firestore futures, turning retryable failures into {@link Unavailable} (503). */
final class FirestoreFutures {
  private static final Set<io.grpc.Status.Code> TRANSIENT =
      Set.of(
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
      if (cause instanceof ApiException api
          && (api.isRetryable() || TRANSIENT.contains(grpcCode(api)))) {
        throw new Unavailable("Firestore is unavailable, try again", api);
      }
      if (cause instanceof FirestoreException firestore
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

  private static io.grpc.Status.Code grpcCode(ApiException api) {
    Object code = api.getStatusCode().getCode();
    return code instanceof StatusCode.Code c
        ? io.grpc.Status.Code.valueOf(c.name())
        : io.grpc.Status.Code.UNKNOWN;
  }
}
