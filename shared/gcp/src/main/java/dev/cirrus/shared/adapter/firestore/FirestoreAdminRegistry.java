package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.transact;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import dev.cirrus.shared.admin.AdminRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@link AdminRegistry} as one document, {@code adminRegistry/admins} ({@code uids}: a list): a
 * handful of admins fit in it, and one document makes "the last admin" one transaction's read.
 */
public final class FirestoreAdminRegistry implements AdminRegistry {
  private final Supplier<Firestore> firestore;

  public FirestoreAdminRegistry(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public Set<String> admins() {
    return uids(await(doc().get()));
  }

  @Override
  public Set<String> update(UnaryOperator<Set<String>> change) {
    return transact(
        firestore.get(),
        doc(),
        (tx, snapshot) -> {
          Set<String> next = new TreeSet<>(change.apply(uids(snapshot)));
          tx.set(doc(), Map.of("uids", List.copyOf(next)));
          return Set.copyOf(next);
        });
  }

  private DocumentReference doc() {
    return firestore.get().collection(FirestoreCollections.ADMIN_REGISTRY).document("admins");
  }

  private static Set<String> uids(DocumentSnapshot snapshot) {
    Set<String> uids = new HashSet<>();
    if (snapshot.exists() && snapshot.get("uids") instanceof List<?> list) {
      list.forEach(uid -> uids.add(String.valueOf(uid)));
    }
    return uids;
  }
}
