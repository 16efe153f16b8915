package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.transact;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.webhooks.WebhookDeliveries;
import dev.cirrus.shared.webhooks.WebhookDelivery;
import dev.cirrus.shared.webhooks.WebhookDelivery.Attempt;
import dev.cirrus.shared.webhooks.WebhookDelivery.Status;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@link WebhookDeliveries} on Firestore: {@code webhookDeliveries/{endpointId}_{deliveryId}}, the
 * attempts an array on the document. Top-level, so the tick's query on {@code dueAt} is served by
 * its automatic single-field index; the per-endpoint listing has its composite index in infra.
 */
public final class FirestoreWebhookDeliveries implements WebhookDeliveries {
  private final Supplier<Firestore> firestore;

  public FirestoreWebhookDeliveries(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public WebhookDelivery create(WebhookDelivery delivery) {
    DocumentReference ref = collection().document(delivery.key());
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (snapshot.exists()) {
            return toDelivery(snapshot);
          }
          tx.set(ref, toDocument(delivery));
          return delivery;
        });
  }

  @Override
  public Optional<WebhookDelivery> find(String endpointId, String id) {
    DocumentSnapshot doc = await(collection().document(endpointId + "_" + id).get());
    return doc.exists() ? Optional.of(toDelivery(doc)) : Optional.empty();
  }

  @Override
  public Optional<WebhookDelivery> update(
      String endpointId, String id, UnaryOperator<WebhookDelivery> change) {
    DocumentReference ref = collection().document(endpointId + "_" + id);
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            return Optional.<WebhookDelivery>empty();
          }
          WebhookDelivery current = toDelivery(snapshot);
          WebhookDelivery next = change.apply(current);
          if (!next.equals(current)) {
            tx.set(ref, toDocument(next));
          }
          return Optional.of(next);
        });
  }

  @Override
  public DeliveryPage of(String endpointId, int pageSize, Optional<Cursor> after) {
    Query query =
        collection()
            .whereEqualTo("endpointId", endpointId)
            .orderBy("createdAt", Query.Direction.DESCENDING)
            .orderBy("id", Query.Direction.DESCENDING);
    if (after.isPresent()) {
      query = query.startAfter(timestamp(after.get().createdAt()), after.get().id());
    }
    List<WebhookDelivery> fetched =
        await(query.limit(pageSize + 1).get()).getDocuments().stream()
            .map(FirestoreWebhookDeliveries::toDelivery)
            .toList();
    return new DeliveryPage(
        fetched.subList(0, Math.min(pageSize, fetched.size())),
        Cursor.after(fetched, pageSize, WebhookDelivery::createdAt, WebhookDelivery::id));
  }

  @Override
  public List<WebhookDelivery> due(Instant now, int limit) {
    return await(
            collection()
                .whereLessThanOrEqualTo("dueAt", timestamp(now))
                .orderBy("dueAt")
                .limit(limit)
                .get())
        .getDocuments()
        .stream()
        .map(FirestoreWebhookDeliveries::toDelivery)
        .toList();
  }

  @Override
  public int deleteOf(String endpointId, int limit) {
    List<QueryDocumentSnapshot> docs =
        await(collection().whereEqualTo("endpointId", endpointId).limit(limit).get())
            .getDocuments();
    if (docs.isEmpty()) {
      return 0;
    }
    WriteBatch batch = firestore.get().batch();
    docs.forEach(d -> batch.delete(d.getReference()));
    await(batch.commit());
    return docs.size();
  }

  private CollectionReference collection() {
    return firestore.get().collection(FirestoreCollections.WEBHOOK_DELIVERIES);
  }

  private static Map<String, Object> toDocument(WebhookDelivery d) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("id", d.id());
    doc.put("endpointId", d.endpointId());
    doc.put("type", d.type());
    doc.put("body", d.body());
    doc.put("createdAt", timestamp(d.createdAt()));
    doc.put("status", d.status().wireName());
    doc.put("dueAt", d.dueAt().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put("leasedUntil", d.leasedUntil().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put(
        "attempts",
        d.attempts().stream()
            .map(
                a -> {
                  Map<String, Object> m = new HashMap<>();
                  m.put("number", a.number());
                  m.put("at", timestamp(a.at()));
                  m.put("latencyMs", a.latencyMillis());
                  m.put("responseCode", a.responseCode().orElse(null));
                  m.put("error", a.error().orElse(null));
                  return m;
                })
            .toList());
    return doc;
  }

  @SuppressWarnings("unchecked")
  private static WebhookDelivery toDelivery(DocumentSnapshot doc) {
    List<Map<String, Object>> attempts =
        Optional.ofNullable((List<Map<String, Object>>) doc.get("attempts")).orElse(List.of());
    return new WebhookDelivery(
        doc.getString("id"),
        doc.getString("endpointId"),
        doc.getString("type"),
        doc.getString("body"),
        instant(doc.getTimestamp("createdAt")),
        Status.parse(doc.getString("status")).orElse(Status.FAILED),
        Optional.ofNullable(doc.getTimestamp("dueAt")).map(FirestoreUserStore::instant),
        Optional.ofNullable(doc.getTimestamp("leasedUntil")).map(FirestoreUserStore::instant),
        attempts.stream()
            .map(
                a ->
                    new Attempt(
                        ((Number) a.get("number")).intValue(),
                        instant((Timestamp) a.get("at")),
                        ((Number) a.get("latencyMs")).longValue(),
                        Optional.ofNullable((Number) a.get("responseCode")).map(Number::intValue),
                        Optional.ofNullable((String) a.get("error"))))
            .toList());
  }
}
