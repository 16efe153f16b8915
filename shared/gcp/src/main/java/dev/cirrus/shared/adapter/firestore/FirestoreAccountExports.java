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
import dev.cirrus.shared.exports.AccountExport;
import dev.cirrus.shared.exports.AccountExport.Phase;
import dev.cirrus.shared.exports.AccountExports;
import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@link AccountExports} on Firestore: {@code accountExports/{uid}}. */
public final class FirestoreAccountExports implements AccountExports {
  private final Supplier<Firestore> firestore;

  public FirestoreAccountExports(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public Optional<AccountExport> start(
      String uid, Function<Optional<AccountExport>, AccountExport> decide) {
    DocumentReference ref = doc(uid);
    DocumentReference deletion = FirestoreAccountDeletions.jobOf(db(), uid);
    return await(
        db().runTransaction(
                tx -> {
                  DocumentSnapshot existing = tx.get(ref).get();
                  if (tx.get(deletion).get().exists()) {
                    return Optional.<AccountExport>empty();
                  }
                  Optional<AccountExport> current =
                      existing.exists() ? Optional.of(toExport(existing)) : Optional.empty();
                  AccountExport chosen = decide.apply(current);
                  if (!current.equals(Optional.of(chosen))) {
                    tx.set(ref, toDocument(chosen));
                  }
                  return Optional.of(chosen);
                }));
  }

  @Override
  public Optional<AccountExport> find(String uid) {
    DocumentSnapshot snapshot = await(doc(uid).get());
    return snapshot.exists() ? Optional.of(toExport(snapshot)) : Optional.empty();
  }

  @Override
  public Optional<AccountExport> advance(AccountExport seen, AccountExport next) {
    DocumentReference ref = doc(seen.uid());
    return transact(
        db(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            return Optional.<AccountExport>empty();
          }
          AccountExport now = toExport(snapshot);
          if (!now.id().equals(seen.id())
              || now.phase() != seen.phase()
              || !now.updatedAt().equals(seen.updatedAt())) {
            return Optional.<AccountExport>empty();
          }
          tx.set(ref, toDocument(next));
          return Optional.of(next);
        });
  }

  @Override
  public List<AccountExport> stalled(Instant before, int limit) {
    return FirestoreAccountDeletions.stalledIn(collection(), before, limit).stream()
        .map(FirestoreAccountExports::toExport)
        .toList();
  }

  @Override
  public List<AccountExport> expired(Instant now, int limit) {
    // One field, so its automatic index serves it; an expired job has no expiresAt any more.
    return await(
            collection()
                .whereLessThan("expiresAt", timestamp(now))
                .orderBy("expiresAt")
                .limit(limit)
                .get())
        .getDocuments()
        .stream()
        .map(FirestoreAccountExports::toExport)
        .toList();
  }

  @Override
  public void remove(String uid) {
    await(doc(uid).delete());
  }

  private Firestore db() {
    return firestore.get();
  }

  private CollectionReference collection() {
    return db().collection(FirestoreCollections.ACCOUNT_EXPORTS);
  }

  private DocumentReference doc(String uid) {
    return collection().document(uid);
  }

  private static Map<String, Object> toDocument(AccountExport job) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("uid", job.uid());
    doc.put("id", job.id());
    doc.put("phase", job.phase().wireName());
    doc.put("running", job.isRunning());
    doc.put("requestedAt", timestamp(job.requestedAt()));
    doc.put("updatedAt", timestamp(job.updatedAt()));
    doc.put(
        "after",
        job.after()
            .map(c -> Map.<String, Object>of("createdAt", timestamp(c.createdAt()), "id", c.id()))
            .orElse(null));
    doc.put("parts", job.parts());
    doc.put("files", job.files());
    doc.put("bytes", job.bytes());
    doc.put("readyAt", job.readyAt().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put("expiresAt", job.expiresAt().map(FirestoreUserStore::timestamp).orElse(null));
    doc.put("archiveSize", job.archiveSize());
    return doc;
  }

  @SuppressWarnings("unchecked")
  private static AccountExport toExport(DocumentSnapshot doc) {
    Map<String, Object> after = (Map<String, Object>) doc.get("after");
    Optional<Cursor> cursor =
        after == null
            ? Optional.empty()
            : Optional.of(
                new Cursor(instant((Timestamp) after.get("createdAt")), (String) after.get("id")));
    Map<String, Object> figures = doc.getData();
    return new AccountExport(
        doc.getString("uid"),
        doc.getString("id"),
        Phase.parse(doc.getString("phase")).orElse(Phase.ORIGINALS),
        instant(doc.getTimestamp("requestedAt")),
        instant(doc.getTimestamp("updatedAt")),
        cursor,
        (int) FirestoreUserStore.number(figures, "parts"),
        FirestoreUserStore.number(figures, "files"),
        FirestoreUserStore.number(figures, "bytes"),
        Optional.ofNullable(doc.getTimestamp("readyAt")).map(FirestoreUserStore::instant),
        Optional.ofNullable(doc.getTimestamp("expiresAt")).map(FirestoreUserStore::instant),
        FirestoreUserStore.number(figures, "archiveSize"));
  }
}
