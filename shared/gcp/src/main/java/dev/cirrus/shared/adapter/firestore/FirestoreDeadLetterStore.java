package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.cirrus.shared.deadletters.DeadLetter;
import dev.cirrus.shared.deadletters.DeadLetterStore;
import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link DeadLetterStore} on {@code deadLetters/{id}}; the body is kept as bytes. */
public final class FirestoreDeadLetterStore implements DeadLetterStore {
  private final Supplier<Firestore> firestore;

  public FirestoreDeadLetterStore(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public boolean record(DeadLetter d) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("sourceSubscription", d.sourceSubscription());
    doc.put("topic", d.topic().orElse(null));
    doc.put("attributes", d.attributes());
    doc.put("data", Blob.fromBytes(d.data()));
    doc.put("attempts", (long) d.attempts());
    doc.put("deadLetteredAt", timestamp(d.deadLetteredAt()));
    doc.put("redrivenAt", null);
    try {
      await(doc(d.id()).create(doc));
      return true;
    } catch (AlreadyExistsException e) {
      return false;
    }
  }

  @Override
  public Optional<DeadLetter> find(String id) {
    DocumentSnapshot doc = await(doc(id).get());
    return doc.exists() ? Optional.of(toDeadLetter(doc)) : Optional.empty();
  }

  @Override
  public DeadLetterPage list(int pageSize, Optional<Cursor> after) {
    Query query =
        firestore
            .get()
            .collection(FirestoreCollections.DEAD_LETTERS)
            .orderBy("deadLetteredAt", Query.Direction.DESCENDING)
            .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING);
    if (after.isPresent()) {
      query = query.startAfter(timestamp(after.get().createdAt()), after.get().id());
    }
    List<DeadLetter> fetched = new ArrayList<>();
    for (QueryDocumentSnapshot doc : await(query.limit(pageSize + 1).get()).getDocuments()) {
      fetched.add(toDeadLetter(doc));
    }
    return DeadLetterPage.of(fetched, pageSize);
  }

  @Override
  public void markRedriven(String id, Instant at) {
    await(doc(id).update("redrivenAt", timestamp(at)));
  }

  private DocumentReference doc(String id) {
    return firestore.get().collection(FirestoreCollections.DEAD_LETTERS).document(id);
  }

  @SuppressWarnings("unchecked")
  private static DeadLetter toDeadLetter(DocumentSnapshot doc) {
    Object attributes = doc.get("attributes");
    Blob data = doc.getBlob("data");
    Long attempts = doc.getLong("attempts");
    return new DeadLetter(
        doc.getId(),
        doc.getString("sourceSubscription"),
        Optional.ofNullable(doc.getString("topic")),
        attributes instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of(),
        data == null ? new byte[0] : data.toBytes(),
        attempts == null ? 0 : attempts.intValue(),
        instant(doc.getTimestamp("deadLetteredAt")),
        Optional.ofNullable(doc.getTimestamp("redrivenAt")).map(FirestoreUserStore::instant));
  }
}
