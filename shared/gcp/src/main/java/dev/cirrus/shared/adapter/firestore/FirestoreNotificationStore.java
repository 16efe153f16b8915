package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link NotificationStore} on {@code users/{uid}/notifications/{id}}. The document holds exactly
 * the fields of the API's notification, {@code readAt} null while unread, so the app's listener and
 * the API agree and {@code readAt == null} is the unread query.
 */
public final class FirestoreNotificationStore implements NotificationStore {
  private static final int MAX_WRITES = 500;

  private final Supplier<Firestore> firestore;

  public FirestoreNotificationStore(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public int createMissing(List<Addressed> notifications) {
    if (notifications.size() > MAX_WRITES) {
      throw new IllegalArgumentException("at most " + MAX_WRITES + " notifications at a time");
    }
    if (notifications.isEmpty()) {
      return 0;
    }
    try {
      // The usual case, a first delivery: one atomic batch of creates and no read.
      WriteBatch batch = firestore.get().batch();
      for (Addressed a : notifications) {
        batch.create(doc(a.uid(), a.notification().id()), toDocument(a.notification()));
      }
      await(batch.commit());
      return notifications.size();
    } catch (AlreadyExistsException some) {
      // A redelivery: write only what is missing, and leave what exists (read or not) alone.
      return createThoseMissing(notifications);
    }
  }

  private int createThoseMissing(List<Addressed> notifications) {
    DocumentReference[] refs =
        notifications.stream()
            .map(a -> doc(a.uid(), a.notification().id()))
            .toArray(DocumentReference[]::new);
    List<DocumentSnapshot> existing = await(firestore.get().getAll(refs));
    WriteBatch batch = firestore.get().batch();
    int missing = 0;
    for (int i = 0; i < refs.length; i++) {
      if (!existing.get(i).exists()) {
        batch.create(refs[i], toDocument(notifications.get(i).notification()));
        missing++;
      }
    }
    if (missing > 0) {
      await(batch.commit());
    }
    return missing;
  }

  @Override
  public NotificationPage list(
      String uid, boolean unreadOnly, int pageSize, Optional<Cursor> after) {
    // The unread listing needs the index (readAt, createdAt desc, __name__ desc):
    // infra/firestore.tf.
    Query query = collection(uid);
    if (unreadOnly) {
      query = query.whereEqualTo("readAt", null);
    }
    query =
        query
            .orderBy("createdAt", Query.Direction.DESCENDING)
            .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING);
    if (after.isPresent()) {
      query = query.startAfter(timestamp(after.get().createdAt()), after.get().id());
    }
    List<StoredNotification> fetched = new ArrayList<>();
    for (QueryDocumentSnapshot doc : await(query.limit(pageSize + 1).get()).getDocuments()) {
      fetched.add(toNotification(doc));
    }
    return NotificationPage.of(fetched, pageSize);
  }

  @Override
  public Optional<StoredNotification> find(String uid, String id) {
    DocumentSnapshot doc = await(doc(uid, id).get());
    return doc.exists() ? Optional.of(toNotification(doc)) : Optional.empty();
  }

  @Override
  public long unreadCount(String uid) {
    return await(collection(uid).whereEqualTo("readAt", null).count().get()).getCount();
  }

  @Override
  public boolean markRead(String uid, String id, Instant at) {
    DocumentReference ref = doc(uid, id);
    return FirestoreFutures.transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            return false;
          }
          if (snapshot.get("readAt") == null) {
            tx.update(ref, "readAt", timestamp(at));
          }
          return true;
        });
  }

  @Override
  public int markAllRead(String uid, Instant at, int limit) {
    List<QueryDocumentSnapshot> unread =
        await(collection(uid).whereEqualTo("readAt", null).limit(limit).get()).getDocuments();
    for (int start = 0; start < unread.size(); start += MAX_WRITES) {
      WriteBatch batch = firestore.get().batch();
      for (QueryDocumentSnapshot doc :
          unread.subList(start, Math.min(unread.size(), start + MAX_WRITES))) {
        batch.update(doc.getReference(), "readAt", timestamp(at));
      }
      await(batch.commit());
    }
    return unread.size();
  }

  private CollectionReference collection(String uid) {
    return firestore
        .get()
        .collection(FirestoreCollections.USERS)
        .document(uid)
        .collection(FirestoreCollections.NOTIFICATIONS);
  }

  @Override
  public int deleteSome(String uid, int limit) {
    List<QueryDocumentSnapshot> page = await(collection(uid).limit(limit).get()).getDocuments();
    if (page.isEmpty()) {
      return 0;
    }
    WriteBatch batch = firestore.get().batch();
    page.forEach(doc -> batch.delete(doc.getReference()));
    await(batch.commit());
    return page.size();
  }

  private DocumentReference doc(String uid, String id) {
    return collection(uid).document(id);
  }

  private static Map<String, Object> toDocument(StoredNotification n) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("id", n.id());
    doc.put("type", n.type());
    doc.put("title", n.title());
    doc.put("body", n.body());
    doc.put("data", n.data());
    doc.put("createdAt", timestamp(n.createdAt()));
    doc.put("readAt", n.readAt().map(FirestoreUserStore::timestamp).orElse(null));
    return doc;
  }

  @SuppressWarnings("unchecked")
  private static StoredNotification toNotification(DocumentSnapshot doc) {
    Object data = doc.get("data");
    return new StoredNotification(
        doc.getId(),
        doc.getString("type"),
        doc.getString("title"),
        doc.getString("body"),
        data instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of(),
        instant(doc.getTimestamp("createdAt")),
        Optional.ofNullable(doc.getTimestamp("readAt")).map(FirestoreUserStore::instant));
  }
}
