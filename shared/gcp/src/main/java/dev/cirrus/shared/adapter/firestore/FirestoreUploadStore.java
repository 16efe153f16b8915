package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.transact;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;
import static dev.cirrus.shared.adapter.firestore.UploadDocuments.DAILY_UPLOADS;
import static dev.cirrus.shared.adapter.firestore.UploadDocuments.dailyOf;
import static dev.cirrus.shared.adapter.firestore.UploadDocuments.ended;
import static dev.cirrus.shared.adapter.firestore.UploadDocuments.toDocument;
import static dev.cirrus.shared.adapter.firestore.UploadDocuments.toUpload;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.uploads.Admission;
import dev.cirrus.shared.uploads.AdmissionRules;
import dev.cirrus.shared.uploads.DailyUploads;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * {@link UploadStore} on Firestore: {@code uploads/{id}}, with the quota in {@code users/{uid}}
 * changed in the same transaction as the upload's status.
 */
public final class FirestoreUploadStore implements UploadStore {

  private static final List<String> IN_FLIGHT =
      List.of(
          UploadStatus.PENDING.wireName(),
          UploadStatus.UPLOADED.wireName(),
          UploadStatus.PROCESSING.wireName());

  /** Creates contend on the owner's in-flight query: give them more tries than the default 5. */
  private static final TransactionOptions CONTENDED =
      TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(12).build();

  private static final int CREATE_ATTEMPTS = 4;

  private final Supplier<Firestore> firestore;
  private final OwnerLocks perOwner = new OwnerLocks();

  public FirestoreUploadStore(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public Upload create(Upload upload, UserRecord freshOwner, AdmissionRules rules) {
    DocumentReference userRef = user(upload.ownerUid());
    DocumentReference ref = doc(upload.id());
    // One user's parallel creates all read the same query and document; serialising them in
    // this instance spares the transactions most of their contention (and the emulator's
    // multi-second lock stalls). Other instances still meet at Firestore's locks. The lock is
    // the owner's alone and is not held while waiting to try again.
    for (int attempt = 1; ; attempt++) {
      Lock lock = perOwner.of(upload.ownerUid());
      lock.lock();
      try {
        return createLocked(upload, freshOwner, rules, userRef, ref);
      } catch (Unavailable busy) {
        // Processing of the owner's other uploads holds locks on the same documents; a lock
        // that timed out is worth a short, jittered wait before the next try.
        if (attempt == CREATE_ATTEMPTS) {
          throw busy;
        }
      } finally {
        lock.unlock();
      }
      pause(attempt);
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(50L << attempt, 100L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted", e);
    }
  }

  private Upload createLocked(
      Upload upload,
      UserRecord freshOwner,
      AdmissionRules rules,
      DocumentReference userRef,
      DocumentReference ref) {
    return await(
        db().runTransaction(
                tx -> {
                  // A retry of a create that went through (the same Idempotency-Key).
                  DocumentSnapshot existing = tx.get(ref).get();
                  if (existing.exists()) {
                    return toUpload(existing);
                  }
                  // Locks in the order promote() takes them, the owner's uploads before the
                  // owner: the reverse order deadlocks against it until a lock times out.
                  List<QueryDocumentSnapshot> candidates =
                      tx.get(inFlight(upload.ownerUid())).get().getDocuments();
                  DocumentSnapshot owner = tx.get(userRef).get();
                  // Once the user document is gone, the job's own record says so.
                  DocumentSnapshot deletion =
                      tx.get(FirestoreAccountDeletions.jobOf(db(), upload.ownerUid())).get();
                  List<QueryDocumentSnapshot> inFlight = new ArrayList<>();
                  for (QueryDocumentSnapshot doc : candidates) {
                    if (toUpload(doc).expiredAt(upload.createdAt())) {
                      // Nobody sweeps yet: an abandoned session expires the moment its owner
                      // needs the room, and its reservation with it.
                      tx.update(
                          doc.getReference(), ended(UploadStatus.EXPIRED, upload.createdAt()));
                    } else {
                      inFlight.add(doc);
                    }
                  }
                  Quota quota =
                      owner.exists()
                          ? FirestoreUserStore.toUser(owner).quota()
                          : freshOwner.quota();
                  DailyUploads today =
                      new Admission(
                              quota,
                              reservedBytes(inFlight),
                              inFlight.size(),
                              dailyOf(owner, upload.createdAt()),
                              FirestoreAccountDeletions.closing(owner, deletion))
                          .require(upload.size(), rules);
                  if (owner.exists()) {
                    tx.update(userRef, DAILY_UPLOADS, toDocument(today));
                  } else {
                    Map<String, Object> fresh = FirestoreUserStore.toDocument(freshOwner);
                    fresh.put(DAILY_UPLOADS, toDocument(today));
                    tx.create(userRef, fresh);
                  }
                  tx.create(ref, toDocument(upload));
                  return upload;
                },
                CONTENDED));
  }

  @Override
  public long reservedBytes(String ownerUid) {
    return reservedBytes(await(inFlight(ownerUid).get()).getDocuments());
  }

  @Override
  public Admission admission(String ownerUid, Quota fresh, Instant now) {
    DocumentSnapshot owner = await(user(ownerUid).get());
    DocumentSnapshot deletion = await(FirestoreAccountDeletions.jobOf(db(), ownerUid).get());
    List<QueryDocumentSnapshot> inFlight =
        await(inFlight(ownerUid).get()).getDocuments().stream()
            .filter(doc -> !toUpload(doc).expiredAt(now))
            .toList();
    Quota quota = owner.exists() ? FirestoreUserStore.toUser(owner).quota() : fresh;
    return new Admission(
        quota,
        reservedBytes(inFlight),
        inFlight.size(),
        dailyOf(owner, now),
        FirestoreAccountDeletions.closing(owner, deletion));
  }

  private static long reservedBytes(List<QueryDocumentSnapshot> inFlight) {
    long reserved = 0;
    for (QueryDocumentSnapshot doc : inFlight) {
      reserved += FileDocuments.longValue(doc.get("size"));
    }
    return reserved;
  }

  /**
   * The owner's uploads that hold a reservation. Read inside the creating transaction, whose
   * serializable isolation covers the query: two parallel creates cannot both see room for one.
   * Needs the composite index (ownerUid, status): infra/firestore.tf.
   */
  private Query inFlight(String ownerUid) {
    return db().collection(FirestoreCollections.UPLOADS)
        .whereEqualTo("ownerUid", ownerUid)
        .whereIn("status", List.copyOf(IN_FLIGHT));
  }

  @Override
  public Optional<Upload> find(String id) {
    DocumentSnapshot snapshot = await(doc(id).get());
    return snapshot.exists() ? Optional.of(toUpload(snapshot)) : Optional.empty();
  }

  @Override
  public Upload advance(String id, UploadStatus from, UploadStatus to, Instant now) {
    return onUpload(
        id,
        (tx, ref, upload) -> {
          if (!upload.mayAdvance(from, to)) {
            return upload;
          }
          tx.update(ref, ended(to, now));
          return upload.with(to, now);
        });
  }

  @Override
  public Upload abort(String id, UploadStatus terminal, Instant now) {
    return onUpload(
        id,
        (tx, ref, upload) -> {
          if (!upload.mayEnd(terminal)) {
            return upload;
          }
          tx.update(ref, ended(terminal, now));
          return upload.with(terminal, now);
        });
  }

  @Override
  public Optional<FileRecord> promote(String uploadId, FileRecord file, Instant now) {
    return onUpload(
        uploadId,
        (tx, ref, upload) -> {
          if (!upload.mayBecome(UploadStatus.READY)) {
            return Optional.<FileRecord>empty();
          }
          tx.set(
              db().collection(FirestoreCollections.FILES).document(file.id()),
              FileDocuments.toDocument(file));
          Map<String, Object> ready = ended(UploadStatus.READY, now);
          ready.put("fileId", file.id());
          tx.update(ref, ready);
          tx.update(
              user(upload.ownerUid()),
              "quota.usedBytes",
              FieldValue.increment(file.size()),
              "quota.fileCount",
              FieldValue.increment(1),
              "updatedAt",
              timestamp(now));
          return Optional.of(file);
        });
  }

  @Override
  public boolean reject(String uploadId, String reason, Instant now) {
    return onUpload(
        uploadId,
        (tx, ref, upload) -> {
          if (!upload.mayBecome(UploadStatus.REJECTED)) {
            return false;
          }
          Map<String, Object> rejected = ended(UploadStatus.REJECTED, now);
          rejected.put("reason", reason);
          tx.update(ref, rejected);
          return true;
        });
  }

  @Override
  public boolean claimFinalizeNotice(String id, Instant now, Duration every) {
    return onUpload(
        id,
        (tx, ref, upload) -> {
          if (!upload.finalizeNoticeDue(now, every)) {
            return false;
          }
          tx.update(ref, "finalizeSentAt", timestamp(now));
          return true;
        });
  }

  @Override
  public void markAnnounced(String id, Instant now) {
    await(doc(id).update("announcedAt", timestamp(now)));
  }

  /** What a transaction does with the one upload it read. */
  private interface UploadWork<T> {
    T apply(Transaction tx, DocumentReference ref, Upload upload) throws Exception;
  }

  /** Runs {@code work} in a transaction on upload {@code id}, which must exist. */
  private <T> T onUpload(String id, UploadWork<T> work) {
    DocumentReference ref = doc(id);
    return transact(db(), ref, (tx, snapshot) -> work.apply(tx, ref, existing(snapshot)));
  }

  private static Upload existing(DocumentSnapshot snapshot) {
    if (!snapshot.exists()) {
      throw new NotFound("upload not found");
    }
    return toUpload(snapshot);
  }

  @Override
  public List<Upload> recentOf(String ownerUid, int limit) {
    // Needs the index (ownerUid, createdAt desc): infra/firestore.tf.
    return uploads(
        db().collection(FirestoreCollections.UPLOADS)
            .whereEqualTo("ownerUid", ownerUid)
            .orderBy("createdAt", Query.Direction.DESCENDING)
            .limit(limit));
  }

  @Override
  public List<Upload> ofOwner(String ownerUid, int limit) {
    return uploads(
        db().collection(FirestoreCollections.UPLOADS)
            .whereEqualTo("ownerUid", ownerUid)
            .limit(limit));
  }

  @Override
  public void erase(String id) {
    await(doc(id).delete());
  }

  @Override
  public List<Upload> expiredPending(Instant now, int limit) {
    // Needs the index (status, expiresAt): infra/firestore.tf.
    return uploads(
        db().collection(FirestoreCollections.UPLOADS)
            .whereEqualTo("status", UploadStatus.PENDING.wireName())
            .whereLessThan("expiresAt", timestamp(now))
            .orderBy("expiresAt")
            .limit(limit));
  }

  @Override
  public List<Upload> stuck(Instant before, int limit) {
    // Needs the index (status, updatedAt): infra/firestore.tf.
    return uploads(
        db().collection(FirestoreCollections.UPLOADS)
            .whereIn(
                "status",
                List.of(UploadStatus.UPLOADED.wireName(), UploadStatus.PROCESSING.wireName()))
            .whereLessThan("updatedAt", timestamp(before))
            .orderBy("updatedAt")
            .limit(limit));
  }

  private List<Upload> uploads(Query query) {
    List<Upload> found = new ArrayList<>();
    for (QueryDocumentSnapshot doc : await(query.get()).getDocuments()) {
      found.add(toUpload(doc));
    }
    return found;
  }

  @Override
  public Optional<Upload> recordRedrive(String id, Instant seen, Instant now) {
    return onUpload(
        id,
        (tx, ref, upload) -> {
          if (!upload.mayRedrive(seen)) {
            return Optional.<Upload>empty();
          }
          Upload redriven = upload.redriven(now);
          tx.update(ref, "redrives", (long) redriven.redrives(), "updatedAt", timestamp(now));
          return Optional.of(redriven);
        });
  }

  private Firestore db() {
    return firestore.get();
  }

  private DocumentReference doc(String id) {
    return db().collection(FirestoreCollections.UPLOADS).document(id);
  }

  private DocumentReference user(String uid) {
    return db().collection(FirestoreCollections.USERS).document(uid);
  }
}
