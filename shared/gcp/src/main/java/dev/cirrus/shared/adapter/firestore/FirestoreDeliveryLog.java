package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.SetOptions;
import dev.cirrus.shared.ids.Sha256;
import dev.cirrus.shared.notifications.DeliveryLog;
import dev.cirrus.shared.processing.EventClaims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link DeliveryLog} beside the event claims, in {@code processedEvents}: one document per batch
 * holding the keys of the devices it reached, so it expires with the claims by the same TTL policy.
 * A batch of 500 recipients with 10 devices each stays far below Firestore's 1 MiB per document.
 */
public final class FirestoreDeliveryLog implements DeliveryLog {
  private final Supplier<Firestore> firestore;

  public FirestoreDeliveryLog(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Set<String> delivered(String batchKey) {
    DocumentSnapshot doc = await(doc(batchKey).get());
    Object devices = doc.exists() ? doc.get("devices") : null;
    return devices instanceof List<?> list ? Set.copyOf((List<String>) list) : Set.of();
  }

  @Override
  public void record(String batchKey, Collection<String> deviceKeys, Instant now) {
    await(
        doc(batchKey)
            .set(
                Map.of(
                    "key",
                    batchKey,
                    "devices",
                    FieldValue.arrayUnion(deviceKeys.toArray()),
                    // Whose devices they are, so that an account deletion finds its records.
                    "uids",
                    FieldValue.arrayUnion(
                        deviceKeys.stream().map(FirestoreDeliveryLog::uidOf).distinct().toArray()),
                    "updatedAt",
                    timestamp(now),
                    "expireAt",
                    timestamp(now.plus(EventClaims.RETENTION))),
                SetOptions.merge()));
  }

  @Override
  public int forget(String uid, int limit) {
    List<QueryDocumentSnapshot> page =
        await(
                firestore
                    .get()
                    .collection(FirestoreCollections.PROCESSED_EVENTS)
                    .whereArrayContains("uids", uid)
                    .limit(limit)
                    .get())
            .getDocuments();
    for (QueryDocumentSnapshot record : page) {
      Object devices = record.get("devices");
      List<Object> theirs = new ArrayList<>();
      if (devices instanceof List<?> keys) {
        keys.stream().filter(k -> uidOf(String.valueOf(k)).equals(uid)).forEach(theirs::add);
      }
      await(
          record
              .getReference()
              .update(
                  "devices",
                  FieldValue.arrayRemove(theirs.toArray()),
                  "uids",
                  FieldValue.arrayRemove(uid)));
    }
    return page.size();
  }

  /** A device key is {@code uid/deviceId}. */
  private static String uidOf(String deviceKey) {
    int slash = deviceKey.indexOf('/');
    return slash < 0 ? deviceKey : deviceKey.substring(0, slash);
  }

  private DocumentReference doc(String batchKey) {
    return firestore
        .get()
        .collection(FirestoreCollections.PROCESSED_EVENTS)
        .document(Sha256.hex("deliveries:" + batchKey));
  }
}
