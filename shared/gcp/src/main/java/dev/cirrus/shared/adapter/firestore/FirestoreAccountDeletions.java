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
import dev.cirrus.shared.accounts.AccountDeletion;
import dev.cirrus.shared.accounts.AccountDeletion.Erased;
import dev.cirrus.shared.accounts.AccountDeletion.Phase;
import dev.cirrus.shared.accounts.AccountDeletions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link AccountDeletions} on Firestore: {@code accountDeletions/{uid}}, and the {@code deletion}
 * field of {@code users/{uid}} that closes the account to uploads.
 */
public final class FirestoreAccountDeletions implements AccountDeletions {
  /** The user document's field that says the account is being deleted. */
  static final String DELETION = "deletion";

  private final Supplier<Firestore> firestore;

  public FirestoreAccountDeletions(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  /**
   * Whether the account is being deleted, or was: the user document says so while it exists, the
   * job's record after.
   */
  static boolean closing(DocumentSnapshot owner, DocumentSnapshot job) {
    return job.exists() || (owner.exists() && owner.contains(DELETION));
  }

  /** The deletion job's document of a user. */
  static DocumentReference jobOf(Firestore db, String uid) {
    return db.collection(FirestoreCollections.ACCOUNT_DELETIONS).document(uid);
  }

  @Override
  public AccountDeletion start(String uid, String requestedBy, Instant now) {
    DocumentReference ref = doc(uid);
    DocumentReference user = db().collection(FirestoreCollections.USERS).document(uid);
    return await(
        db().runTransaction(
                tx -> {
                  DocumentSnapshot existing = tx.get(ref).get();
                  DocumentSnapshot owner = tx.get(user).get();
                  if (existing.exists()) {
                    return toDeletion(existing);
                  }
                  AccountDeletion job = AccountDeletion.requested(uid, requestedBy, now);
                  tx.create(ref, toDocument(job));
                  if (owner.exists()) {
                    tx.update(user, DELETION, Map.of("requestedAt", timestamp(now)));
                  }
                  return job;
                }));
  }

  @Override
  public Optional<AccountDeletion> find(String uid) {
    DocumentSnapshot snapshot = await(doc(uid).get());
    return snapshot.exists() ? Optional.of(toDeletion(snapshot)) : Optional.empty();
  }

  @Override
  public Optional<AccountDeletion> advance(AccountDeletion seen, AccountDeletion next) {
    DocumentReference ref = doc(seen.uid());
    return transact(
        db(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            return Optional.<AccountDeletion>empty();
          }
          AccountDeletion now = toDeletion(snapshot);
          if (now.phase() != seen.phase() || !now.updatedAt().equals(seen.updatedAt())) {
            return Optional.<AccountDeletion>empty();
          }
          tx.set(ref, toDocument(next));
          return Optional.of(next);
        });
  }

  @Override
  public List<AccountDeletion> stalled(Instant before, int limit) {
    return stalledIn(collection(), before, limit).stream()
        .map(FirestoreAccountDeletions::toDeletion)
        .toList();
  }

  /**
   * The jobs of a collection of jobs ({@code running}, {@code updatedAt}) still running and not
   * moved since {@code before}, oldest first. Needs the index (running, updatedAt) on it:
   * infra/firestore.tf.
   */
  static List<QueryDocumentSnapshot> stalledIn(
      CollectionReference jobs, Instant before, int limit) {
    return await(
            jobs.whereEqualTo("running", true)
                .whereLessThan("updatedAt", timestamp(before))
                .orderBy("updatedAt")
                .limit(limit)
                .get())
        .getDocuments();
  }

  @Override
  public boolean deleteProfileIfEmpty(String uid) {
    DocumentReference user = db().collection(FirestoreCollections.USERS).document(uid);
    List<Query> owned =
        List.of(
            db().collection(FirestoreCollections.UPLOADS).whereEqualTo("ownerUid", uid).limit(1),
            db().collection(FirestoreCollections.FILES).whereEqualTo("ownerUid", uid).limit(1),
            user.collection(FirestoreCollections.NOTIFICATIONS).limit(1),
            user.collection(FirestoreCollections.DEVICES).limit(1));
    return await(
        db().runTransaction(
                tx -> {
                  // Read in the transaction: a write to any of them meanwhile makes it retry.
                  for (Query query : owned) {
                    if (!tx.get(query).get().isEmpty()) {
                      return false;
                    }
                  }
                  tx.delete(user);
                  return true;
                }));
  }

  private Firestore db() {
    return firestore.get();
  }

  private CollectionReference collection() {
    return db().collection(FirestoreCollections.ACCOUNT_DELETIONS);
  }

  private DocumentReference doc(String uid) {
    return collection().document(uid);
  }

  private static Map<String, Object> toDocument(AccountDeletion job) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("uid", job.uid());
    doc.put("requestedBy", job.requestedBy());
    doc.put("phase", job.phase().wireName());
    doc.put("running", !job.isDone());
    doc.put("requestedAt", timestamp(job.requestedAt()));
    doc.put("updatedAt", timestamp(job.updatedAt()));
    doc.put("finishedAt", job.finishedAt().map(FirestoreUserStore::timestamp).orElse(null));
    Erased e = job.erased();
    doc.put(
        "erased",
        Map.of(
            "uploads", e.uploads(),
            "files", e.files(),
            "objects", e.objects(),
            "notifications", e.notifications(),
            "devices", e.devices(),
            "records", e.records()));
    return doc;
  }

  @SuppressWarnings("unchecked")
  private static AccountDeletion toDeletion(DocumentSnapshot doc) {
    Map<String, Object> e = (Map<String, Object>) doc.get("erased");
    Erased erased =
        e == null
            ? Erased.NONE
            : new Erased(
                FirestoreUserStore.number(e, "uploads"),
                FirestoreUserStore.number(e, "files"),
                FirestoreUserStore.number(e, "objects"),
                FirestoreUserStore.number(e, "notifications"),
                FirestoreUserStore.number(e, "devices"),
                FirestoreUserStore.number(e, "records"));
    Timestamp finished = doc.getTimestamp("finishedAt");
    return new AccountDeletion(
        doc.getString("uid"),
        doc.getString("requestedBy"),
        Phase.parse(doc.getString("phase")).orElse(Phase.UPLOADS),
        instant(doc.getTimestamp("requestedAt")),
        instant(doc.getTimestamp("updatedAt")),
        Optional.ofNullable(finished).map(FirestoreUserStore::instant),
        erased);
  }
}
