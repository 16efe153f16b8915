package dev.cirrus.shared.uploads;

import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: upload documents and the quota they hold. An upload in flight reserves its size; leaving
 * that state releases it; becoming ready moves it to the owner's used storage in the same
 * transaction. Transitions happen only from the states they name, so a repeated call changes
 * nothing twice.
 */
public interface UploadStore {

  /**
   * Writes {@code upload} and reserves its size in the owner's quota, creating the owner's document
   * from {@code freshOwner} if needed. If an upload of that id exists already (a retried request
   * with the same {@code Idempotency-Key}), returns it and writes nothing.
   *
   * @return the upload as stored: {@code upload}, or the one that was there
   * @throws dev.cirrus.shared.error.Conflict {@code quota-exceeded} or {@code
   *     too-many-pending-uploads}
   */
  Upload create(Upload upload, UserRecord freshOwner, AdmissionRules rules);

  Optional<Upload> find(String id);

  /** Bytes the owner's uploads in flight hold (pending, uploaded, processing). */
  long reservedBytes(String ownerUid);

  /**
   * What the owner holds, read without a transaction (so possibly a moment old): {@link #create}
   * decides again under its transaction.
   *
   * @param fresh the quota of an owner who has no document yet
   */
  Admission admission(String ownerUid, Quota fresh, Instant now);

  /** Moves {@code from} to {@code to} if the upload is in {@code from}; returns it as it is now. */
  Upload advance(String id, UploadStatus from, UploadStatus to, Instant now);

  /**
   * Aborts a pending or uploaded upload, which releases its reservation.
   *
   * @return the upload as it is now; unchanged if it was already final
   */
  Upload abort(String id, UploadStatus terminal, Instant now);

  /**
   * Writes the file, marks the upload ready and moves its reservation to used storage, in one
   * transaction.
   *
   * @return the file if this call promoted it; empty if the upload was already final
   */
  Optional<FileRecord> promote(String uploadId, FileRecord file, Instant now);

  /**
   * Records that {@code :complete} publishes the finalize message now, unless it did so less than
   * {@code every} ago.
   *
   * @return true if the caller should publish
   */
  boolean claimFinalizeNotice(String id, Instant now, Duration every);

  /** Records that the upload's outcome has been announced on {@code file-events}. */
  void markAnnounced(String id, Instant now);

  /**
   * Marks the upload rejected with {@code reason}, which releases its reservation.
   *
   * @return true if this call rejected it; false if it was already final
   */
  boolean reject(String uploadId, String reason, Instant now);

  /** The owner's latest {@code limit} uploads, whatever their state, newest first. */
  List<Upload> recentOf(String ownerUid, int limit);

  /** Pending uploads whose session ran out before {@code now}, soonest deadline first. */
  List<Upload> expiredPending(Instant now, int limit);

  /** Uploads uploaded or processing and unchanged since before {@code before}, oldest first. */
  List<Upload> stuck(Instant before, int limit);

  /**
   * Records a re-drive of {@code id} if it is still in flight and unchanged since {@code seen} (its
   * {@code updatedAt}): of two sweepers that found it, one wins.
   *
   * @return the upload as re-driven, or empty if it moved on or another sweeper got there first
   */
  Optional<Upload> recordRedrive(String id, Instant seen, Instant now);

  /** Up to {@code limit} of the owner's uploads, in any status: what an account deletion pages. */
  List<Upload> ofOwner(String ownerUid, int limit);

  /** Deletes the upload's document, whatever its status; a missing one is not an error. */
  void erase(String id);
}
