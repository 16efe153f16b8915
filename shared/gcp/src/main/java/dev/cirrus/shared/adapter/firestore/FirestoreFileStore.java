package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;
import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.transact;
import static dev.cirrus.shared.adapter.firestore.FirestoreUserStore.timestamp;

import com.google.cloud.firestore.AggregateField;
import com.google.cloud.firestore.AggregateQuerySnapshot;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStatus;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** {@link FileStore} on Firestore: {@code files/{id}}, quota in {@code users/{uid}}. */
public final class FirestoreFileStore implements FileStore {
  private final Supplier<Firestore> firestore;

  public FirestoreFileStore(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public Optional<FileRecord> find(String id) {
    DocumentSnapshot snapshot = await(doc(id).get());
    return snapshot.exists() ? Optional.of(FileDocuments.toFile(snapshot)) : Optional.empty();
  }

  @Override
  public FilePage list(
      String ownerUid, Set<FileStatus> statuses, int pageSize, Optional<Cursor> after) {
    // Needs the composite index (ownerUid, status, createdAt desc, __name__ desc):
    // infra/firestore.tf.
    Query query =
        firestore
            .get()
            .collection(FirestoreCollections.FILES)
            .whereEqualTo("ownerUid", ownerUid)
            .whereIn("status", statuses.stream().map(FileStatus::wireName).toList())
            .orderBy("createdAt", Query.Direction.DESCENDING)
            .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING);
    if (after.isPresent()) {
      query = query.startAfter(timestamp(after.get().createdAt()), after.get().id());
    }
    List<QueryDocumentSnapshot> docs = await(query.limit(pageSize + 1).get()).getDocuments();
    return FilePage.of(docs.stream().map(FileDocuments::toFile).toList(), pageSize);
  }

  @Override
  public Usage usage(String ownerUid) {
    AggregateQuerySnapshot sums =
        await(
            firestore
                .get()
                .collection(FirestoreCollections.FILES)
                .whereEqualTo("ownerUid", ownerUid)
                .whereEqualTo("status", FileStatus.READY.wireName())
                .aggregate(AggregateField.sum("size"), AggregateField.count())
                .get());
    Number bytes = (Number) sums.get(AggregateField.sum("size"));
    return new Usage(bytes == null ? 0 : bytes.longValue(), sums.getCount());
  }

  @Override
  public FileRecord update(
      String id,
      Optional<Long> expectedVersion,
      Optional<String> filename,
      Optional<List<String>> tags,
      Instant now) {
    DocumentReference ref = doc(id);
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            throw new NotFound("file not found");
          }
          FileRecord next =
              FileDocuments.toFile(snapshot).edited(expectedVersion, filename, tags, now);
          Map<String, Object> changes = new HashMap<>();
          changes.put("filename", next.filename());
          changes.put("tags", next.tags());
          changes.put("updatedAt", timestamp(now));
          changes.put("version", next.version());
          tx.update(ref, changes);
          return next;
        });
  }

  @Override
  public Optional<FileRecord> delete(String id, Instant now) {
    DocumentReference ref = doc(id);
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists() || FileDocuments.toFile(snapshot).isDeleted()) {
            return Optional.<FileRecord>empty();
          }
          FileRecord file = FileDocuments.toFile(snapshot);
          FileRecord tombstone = file.deleted(now);
          tx.update(
              ref,
              "status",
              tombstone.status().wireName(),
              "updatedAt",
              timestamp(now),
              "version",
              tombstone.version());
          tx.update(
              firestore.get().collection(FirestoreCollections.USERS).document(file.ownerUid()),
              "quota.usedBytes",
              FieldValue.increment(-file.size()),
              "quota.fileCount",
              FieldValue.increment(-1),
              "updatedAt",
              timestamp(now));
          return Optional.of(file);
        });
  }

  @Override
  public List<FileRecord> tombstones(Instant deletedBefore, int limit) {
    // Needs the index (status, updatedAt): infra/firestore.tf. A tombstone takes no edit, so its
    // updatedAt is when it was deleted.
    Query query =
        firestore
            .get()
            .collection(FirestoreCollections.FILES)
            .whereEqualTo("status", FileStatus.DELETED.wireName())
            .whereLessThan("updatedAt", timestamp(deletedBefore))
            .orderBy("updatedAt")
            .limit(limit);
    return await(query.get()).getDocuments().stream().map(FileDocuments::toFile).toList();
  }

  @Override
  public boolean purge(FileRecord tombstone) {
    DocumentReference ref = doc(tombstone.id());
    return transact(
        firestore.get(),
        ref,
        (tx, snapshot) -> {
          if (!snapshot.exists()) {
            return false;
          }
          FileRecord now = FileDocuments.toFile(snapshot);
          if (!now.isDeleted() || now.version() != tombstone.version()) {
            return false;
          }
          tx.delete(ref);
          return true;
        });
  }

  @Override
  public List<FileRecord> ofOwner(String ownerUid, int limit) {
    Query query =
        firestore
            .get()
            .collection(FirestoreCollections.FILES)
            .whereEqualTo("ownerUid", ownerUid)
            .limit(limit);
    return await(query.get()).getDocuments().stream().map(FileDocuments::toFile).toList();
  }

  @Override
  public void erase(String id) {
    await(doc(id).delete());
  }

  private DocumentReference doc(String id) {
    return firestore.get().collection(FirestoreCollections.FILES).document(id);
  }
}
