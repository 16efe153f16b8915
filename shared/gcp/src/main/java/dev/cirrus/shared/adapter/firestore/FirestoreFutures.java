package dev.cirrus.shared.adapter.firestore;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.Transaction;
import dev.cirrus.shared.error.Unavailable;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for Firestore futures, turning retryable failures into {@link Unavailable} (503). */
final class FirestoreFutures {
  /**
   * Codes worth a retry, by name: gax's and gRPC's enums spell them alike, and naming them keeps
   * gRPC's classes unloaded on the REST transport's success path.
   */
  private static final Set<String> TRANSIENT =
      Set.of("ABORTED", "UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED");

  private FirestoreFutures() {}

  /** What a transaction does with the one document it read. */
  interface OnDocument<T> {
    T apply(Transaction tx, DocumentSnapshot snapshot) throws Exception;
  }

  /** Runs a transaction that reads {@code ref} and decides from it, and waits for its result. */
  static <T> T transact(Firestore db, DocumentReference ref, OnDocument<T> work) {
    return await(db.runTransaction(tx -> work.apply(tx, tx.get(ref).get())));
  }

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
          && (api.isRetryable() || TRANSIENT.contains(codeName(api)))) {
        throw new Unavailable("Firestore is unavailable, try again", api);
      }
      if (cause instanceof FirestoreException firestore
          && firestore.getStatus() != null
          && TRANSIENT.contains(firestore.getStatus().getCode().name())) {
        // A transaction that lost too many times to contention, a deadline: worth a retry.
        throw new Unavailable("Firestore is busy, try again", firestore);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new Unavailable("Firestore call failed", cause);
    }
  }

  private static String codeName(ApiException api) {
    Object code = api.getStatusCode().getCode();
    return code instanceof StatusCode.Code c ? c.name() : "UNKNOWN";
  }
}
