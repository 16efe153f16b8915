package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.instant;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.cirrus.shared.admin.AuditEntry;
import dev.cirrus.shared.admin.AuditLog;
import dev.cirrus.shared.paging.Cursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link AuditLog} on {@code auditLog/{id}}, listed by {@code at}, newest first. */
public final class FirestoreAuditLog implements AuditLog {
  private final Supplier<Firestore> firestore;

  public FirestoreAuditLog(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public void record(AuditEntry e) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("actorUid", e.actorUid());
    doc.put("actorEmail", e.actorEmail().orElse(null));
    doc.put("action", e.action());
    doc.put("target", e.target());
    doc.put("details", e.details());
    doc.put("at", timestamp(e.at()));
    doc.put("requestId", e.requestId());
    doc.put("outcome", e.outcome());
    await(doc(e.id()).set(doc));
  }

  @Override
  public void complete(String id, String outcome) {
    await(doc(id).update("outcome", outcome));
  }

  @Override
  public AuditPage list(int pageSize, Optional<Cursor> after) {
    // The automatic single-field index on "at" serves this order.
    Query query =
        firestore
            .get()
            .collection(FirestoreCollections.AUDIT_LOG)
            .orderBy("at", Query.Direction.DESCENDING)
            .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING);
    if (after.isPresent()) {
      query = query.startAfter(timestamp(after.get().createdAt()), after.get().id());
    }
    List<AuditEntry> fetched = new ArrayList<>();
    for (QueryDocumentSnapshot doc : await(query.limit(pageSize + 1).get()).getDocuments()) {
      fetched.add(toEntry(doc));
    }
    return AuditPage.of(fetched, pageSize);
  }

  private DocumentReference doc(String id) {
    return firestore.get().collection(FirestoreCollections.AUDIT_LOG).document(id);
  }

  private static AuditEntry toEntry(DocumentSnapshot doc) {
    Map<String, String> details = new HashMap<>();
    if (doc.get("details") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> details.put(String.valueOf(k), String.valueOf(v)));
    }
    return new AuditEntry(
        doc.getId(),
        doc.getString("actorUid"),
        Optional.ofNullable(doc.getString("actorEmail")),
        doc.getString("action"),
        doc.getString("target"),
        details,
        instant(doc.getTimestamp("at")),
        doc.getString("requestId"),
        doc.getString("outcome"));
  }
}
