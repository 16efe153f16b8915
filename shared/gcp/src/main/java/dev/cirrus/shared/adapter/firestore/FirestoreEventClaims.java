package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.transact;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import dev.cirrus.shared.ids.Sha256;
import dev.cirrus.shared.processing.Claim;
import dev.cirrus.shared.processing.EventClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link EventClaims} in {@code processedEvents/{sha256(key)}}; keys hold slashes, which document
 * ids cannot. {@code expireAt} is the field the Firestore TTL policy in infra deletes by.
 */
public final class FirestoreEventClaims implements EventClaims {
  private final Supplier<Firestore> firestore;

  public FirestoreEventClaims(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public State claim(String key, String holder, Instant now, Duration lease) {
    DocumentReference ref = doc(key);
    try {
      // The usual case, a first delivery: one write that fails if any claim exists, instead of
      // a transaction's three calls.
      await(ref.create(newClaim(key, holder, now, lease)));
      return State.ACQUIRED;
    } catch (AlreadyExistsException claimed) {
      // a redelivery or a concurrent one: decide below, under a transaction
    }
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          Claim.Decision decision = Claim.claim(toClaim(snapshot), holder, now, lease);
          if (decision.write().isPresent()) {
            Claim claim = decision.write().get();
            if (snapshot.exists()) {
              tx.update(
                  ref,
                  "holder",
                  claim.holder(),
                  "leaseUntil",
                  timestamp(claim.leaseUntil()),
                  "attempts",
                  claim.attempts());
            } else {
              tx.create(ref, newClaim(key, holder, now, lease));
            }
          }
          return decision.state();
        });
  }

  private static Optional<Claim> toClaim(DocumentSnapshot snapshot) {
    if (!snapshot.exists()) {
      return Optional.empty();
    }
    Long attempts = snapshot.getLong("attempts");
    return Optional.of(
        new Claim(
            "done".equals(snapshot.getString("state")),
            snapshot.getString("holder"),
            instant(snapshot.getTimestamp("leaseUntil")),
            attempts == null ? 0 : attempts));
  }

  private static Map<String, Object> newClaim(
      String key, String holder, Instant now, Duration lease) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("key", key);
    doc.put("state", "processing");
    doc.put("holder", holder);
    doc.put("leaseUntil", timestamp(now.plus(lease)));
    doc.put("attempts", 1L);
    doc.put("createdAt", timestamp(now));
    doc.put("expireAt", timestamp(now.plus(RETENTION)));
    return doc;
  }

  @Override
  public void finish(String key, String holder, String outcome, Instant now) {
    await(
        doc(key)
            .update(
                "state",
                "done",
                "outcome",
                outcome,
                "holder",
                holder,
                "finishedAt",
                timestamp(now)));
  }

  @Override
  public void release(String key, String holder) {
    DocumentReference ref = doc(key);
    transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          Claim.release(toClaim(snapshot), holder)
              .ifPresent(c -> tx.update(ref, "leaseUntil", timestamp(c.leaseUntil())));
          return null;
        });
  }

  private DocumentReference doc(String key) {
    return firestore
        .get()
        .collection(FirestoreCollections.PROCESSED_EVENTS)
        .document(Sha256.hex(key));
  }

  @Override
  public int purgeExpired(Instant now, int limit) {
    // Uses the ascending index on expireAt that infra/firestore.tf keeps beside the TTL policy.
    List<QueryDocumentSnapshot> expired =
        await(
                firestore
                    .get()
                    .collection(FirestoreCollections.PROCESSED_EVENTS)
                    .whereLessThan("expireAt", timestamp(now))
                    .limit(limit)
                    .get())
            .getDocuments();
    if (expired.isEmpty()) {
      return 0;
    }
    WriteBatch batch = firestore.get().batch();
    expired.forEach(doc -> batch.delete(doc.getReference()));
    await(batch.commit());
    return expired.size();
  }

  @Override
  public int forget(String keyPrefix, int limit) {
    // A range on the key's automatic index: every key that starts with the prefix.
    List<QueryDocumentSnapshot> page =
        await(
                firestore
                    .get()
                    .collection(FirestoreCollections.PROCESSED_EVENTS)
                    .whereGreaterThanOrEqualTo("key", keyPrefix)
                    .whereLessThan("key", keyPrefix + "\uf8ff")
                    .limit(limit)
                    .get())
            .getDocuments();
    if (page.isEmpty()) {
      return 0;
    }
    WriteBatch batch = firestore.get().batch();
    page.forEach(doc -> batch.delete(doc.getReference()));
    await(batch.commit());
    return page.size();
  }
}
