package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.SetOptions;
import dev.cirrus.shared.ids.Sha256;
import dev.cirrus.shared.notifications.DeliveryLog;
import dev.cirrus.shared.processing.EventClaims;
import java.time.Instant;
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
                    "updatedAt",
                    timestamp(now),
                    "expireAt",
                    timestamp(now.plus(EventClaims.RETENTION))),
                SetOptions.merge()));
  }

  private DocumentReference doc(String batchKey) {
    return firestore
        .get()
        .collection(FirestoreCollections.PROCESSED_EVENTS)
        .document(Sha256.hex("deliveries:" + batchKey));
  }
}
