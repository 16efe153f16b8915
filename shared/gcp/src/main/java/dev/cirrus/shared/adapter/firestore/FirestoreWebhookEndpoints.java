package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.transact;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.webhooks.SigningSecrets;
import dev.cirrus.shared.webhooks.WebhookEndpoint;
import dev.cirrus.shared.webhooks.WebhookEndpoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link WebhookEndpoints} on Firestore: {@code webhooks/{id}}. A project endpoint's {@code owner}
 * is {@link #PROJECT}, a value no uid can take, so one equality serves both listings.
 */
public final class FirestoreWebhookEndpoints implements WebhookEndpoints {
  static final String PROJECT = "*project*";
  private final Supplier<Firestore> firestore;

  public FirestoreWebhookEndpoints(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public void create(WebhookEndpoint endpoint) {
    await(collection().document(endpoint.id()).set(toDocument(endpoint)));
  }

  @Override
  public Optional<WebhookEndpoint> find(String id) {
    DocumentSnapshot doc = await(collection().document(id).get());
    return doc.exists() ? Optional.of(toEndpoint(doc)) : Optional.empty();
  }

  @Override
  public EndpointPage owned(Optional<String> ownerUid, int pageSize, Optional<Cursor> after) {
    Query query =
        collection()
            .whereEqualTo("owner", ownerUid.orElse(PROJECT))
            .orderBy("createdAt", Query.Direction.DESCENDING)
            .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING);
    if (after.isPresent()) {
      query = query.startAfter(timestamp(after.get().createdAt()), after.get().id());
    }
    List<WebhookEndpoint> fetched =
        await(query.limit(pageSize + 1).get()).getDocuments().stream()
            .map(FirestoreWebhookEndpoints::toEndpoint)
            .toList();
    return new EndpointPage(
        fetched.subList(0, Math.min(pageSize, fetched.size())),
        Cursor.after(fetched, pageSize, WebhookEndpoint::createdAt, WebhookEndpoint::id));
  }

  @Override
  public boolean put(WebhookEndpoint endpoint) {
    DocumentReference ref = collection().document(endpoint.id());
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            return false;
          }
          tx.set(ref, toDocument(endpoint));
          return true;
        });
  }

  @Override
  public boolean delete(String id) {
    DocumentReference ref = collection().document(id);
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            return false;
          }
          tx.delete(ref);
          return true;
        });
  }

  @Override
  public List<WebhookEndpoint> subscribedTo(String type) {
    // array-contains alone, so the automatic index serves it; the caller filters the rest.
    return await(collection().whereArrayContains("events", type).get()).getDocuments().stream()
        .map(FirestoreWebhookEndpoints::toEndpoint)
        .toList();
  }

  @Override
  public List<WebhookEndpoint> ownedBy(String uid, int limit) {
    return await(collection().whereEqualTo("owner", uid).limit(limit).get()).getDocuments().stream()
        .map(FirestoreWebhookEndpoints::toEndpoint)
        .toList();
  }

  private CollectionReference collection() {
    return firestore.get().collection(FirestoreCollections.WEBHOOKS);
  }

  private static Map<String, Object> toDocument(WebhookEndpoint e) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("owner", e.ownerUid().orElse(PROJECT));
    doc.put("url", e.url());
    doc.put("events", e.events());
    doc.put("secret", e.secrets().current());
    doc.put("previousSecret", e.secrets().previous().orElse(null));
    doc.put(
        "previousSecretUntil",
        e.secrets().previousUntil().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put("failingSince", e.failingSince().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put("disabledReason", e.disabledReason().orElse(null));
    doc.put("createdAt", timestamp(e.createdAt()));
    doc.put("updatedAt", timestamp(e.updatedAt()));
    return doc;
  }

  @SuppressWarnings("unchecked")
  private static WebhookEndpoint toEndpoint(DocumentSnapshot doc) {
    String owner = doc.getString("owner");
    return new WebhookEndpoint(
        doc.getId(),
        PROJECT.equals(owner) ? Optional.empty() : Optional.ofNullable(owner),
        doc.getString("url"),
        (List<String>) doc.get("events"),
        new SigningSecrets(
            doc.getString("secret"),
            Optional.ofNullable(doc.getString("previousSecret")),
            Optional.ofNullable(doc.getTimestamp("previousSecretUntil"))
                .map(FirestoreUserStore::instant)),
        Optional.ofNullable(doc.getTimestamp("failingSince")).map(FirestoreUserStore::instant),
        Optional.ofNullable(doc.getString("disabledReason")),
        instant(doc.getTimestamp("createdAt")),
        instant(doc.getTimestamp("updatedAt")));
  }
}
