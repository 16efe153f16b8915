package dev.cirrus.shared.uploads;

import dev.cirrus.shared.storage.ObjectRef;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The stored document {@code uploads/{id}}.
 *
 * @param object where the bytes land: {@code uploads/{ownerUid}/{id}} in the uploads bucket
 * @param session the resumable session URI the client PUTs to
 * @param fileId the file this upload became, once ready
 * @param reason a machine word saying why it was rejected
 * @param finalizeSentAt when {@code :complete} last published the finalize message, which it does
 *     at most once a minute
 * @param announcedAt when its outcome ({@code file.ready} or {@code file.rejected}) was published,
 *     so that a redelivery after a crash does not announce it again
 * @param redrives how often the sweeper has republished its finalize message because processing
 *     seemed stuck
 * @param traceparent the W3C trace of the request that created it: Cloud Storage's notification
 *     carries none, so process-upload continues this one
 */
public record Upload(
    String id,
    String ownerUid,
    String filename,
    String contentType,
    long size,
    Optional<String> md5,
    Optional<String> crc32c,
    ObjectRef object,
    URI session,
    UploadStatus status,
    Optional<String> fileId,
    Optional<String> reason,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt,
    Optional<Instant> finalizeSentAt,
    Optional<Instant> announcedAt,
    int redrives,
    Optional<String> traceparent) {
  /**
   * How long an upload's document stays once nothing more will happen to it: long enough to answer
   * for it (a user's "my photo never showed up", a redelivered event, the sweeper), short enough
   * that a loop of created and aborted sessions leaves no lasting trace. Firestore's TTL policy on
   * {@code purgeAt} (infra/firestore.tf) deletes it.
   */
  public static final Duration RETENTION = Duration.ofDays(30);

  /** When the document of an upload that ended at {@code endedAt} may go. */
  public static Instant purgeAt(Instant endedAt) {
    return endedAt.plus(RETENTION);
  }

  public static final String OBJECT_PREFIX = "uploads/";

  /**
   * How late a finalize message may arrive and still count: bytes that arrived before the deadline
   * may be announced after it, by a message redelivered for a while.
   */
  public static final Duration LATE_FINALIZE = Duration.ofHours(1);

  /** The object name for an upload, chosen by the server so clients cannot aim anywhere else. */
  public static String objectName(String ownerUid, String uploadId) {
    return ownerPrefix(ownerUid) + uploadId;
  }

  /** The uploads bucket's prefix for all of one user's uploads. */
  public static String ownerPrefix(String ownerUid) {
    return OBJECT_PREFIX + ownerUid + "/";
  }

  /** The upload id an object name claims to belong to, if it has the shape of one. */
  public static Optional<String[]> parseObjectName(String name) {
    if (!name.startsWith(OBJECT_PREFIX)) {
      return Optional.empty();
    }
    String[] parts = name.substring(OBJECT_PREFIX.length()).split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parts);
  }

  public Upload with(UploadStatus newStatus, Instant now) {
    return copy(newStatus, now, fileId, reason, finalizeSentAt, announcedAt);
  }

  public Upload withFile(String id) {
    return copy(status, updatedAt, Optional.of(id), reason, finalizeSentAt, announcedAt);
  }

  public Upload withReason(String why) {
    return copy(status, updatedAt, fileId, Optional.of(why), finalizeSentAt, announcedAt);
  }

  public Upload withFinalizeSentAt(Instant at) {
    return copy(status, updatedAt, fileId, reason, Optional.of(at), announcedAt);
  }

  public Upload withAnnouncedAt(Instant at) {
    return copy(status, updatedAt, fileId, reason, finalizeSentAt, Optional.of(at));
  }

  private Upload copy(
      UploadStatus newStatus,
      Instant newUpdatedAt,
      Optional<String> newFileId,
      Optional<String> newReason,
      Optional<Instant> newFinalizeSentAt,
      Optional<Instant> newAnnouncedAt) {
    return copy(
        newStatus, newUpdatedAt, newFileId, newReason, newFinalizeSentAt, newAnnouncedAt, redrives);
  }

  private Upload copy(
      UploadStatus newStatus,
      Instant newUpdatedAt,
      Optional<String> newFileId,
      Optional<String> newReason,
      Optional<Instant> newFinalizeSentAt,
      Optional<Instant> newAnnouncedAt,
      int newRedrives) {
    return new Upload(
        id,
        ownerUid,
        filename,
        contentType,
        size,
        md5,
        crc32c,
        object,
        session,
        newStatus,
        newFileId,
        newReason,
        createdAt,
        newUpdatedAt,
        expiresAt,
        newFinalizeSentAt,
        newAnnouncedAt,
        newRedrives,
        traceparent);
  }

  /** The upload after the sweeper republished its finalize message at {@code now}. */
  public Upload redriven(Instant now) {
    return copy(status, now, fileId, reason, finalizeSentAt, announcedAt, redrives + 1);
  }

  /** True when its session has run out while no bytes had been reported. */
  public boolean expiredAt(Instant now) {
    return status == UploadStatus.PENDING && expiresAt.isBefore(now);
  }

  // The guards every UploadStore applies inside its write, so a store decides nothing itself: a
  // guard that fails leaves the upload as it is, which makes every move safe to repeat.

  /**
   * Whether {@link UploadStore#advance} moves it: it is still {@code from}, and may go to {@code
   * to}.
   */
  public boolean mayAdvance(UploadStatus from, UploadStatus to) {
    return status == from && UploadLifecycle.step(from, to).isPresent();
  }

  /** Whether it may become {@code to} from whatever it is now (ready, rejected). */
  public boolean mayBecome(UploadStatus to) {
    return UploadLifecycle.step(status, to).isPresent();
  }

  /** Whether {@link UploadStore#abort} ends it as {@code terminal} (aborted, expired, failed). */
  public boolean mayEnd(UploadStatus terminal) {
    return UploadLifecycle.end(status, terminal).isPresent();
  }

  /** Whether {@code :complete} may publish its finalize message again at {@code now}. */
  public boolean finalizeNoticeDue(Instant now, Duration every) {
    return finalizeSentAt.isEmpty() || !finalizeSentAt.get().plus(every).isAfter(now);
  }

  /**
   * True when its bytes arrived but it has not moved since {@code before}: the sweeper re-drives
   * it.
   */
  public boolean stuckSince(Instant before) {
    return (status == UploadStatus.UPLOADED || status == UploadStatus.PROCESSING)
        && updatedAt.isBefore(before);
  }

  /**
   * Whether the sweeper may record a re-drive: it is still stuck as the sweeper {@code seen} it, so
   * two sweeps that read it at once re-drive it once.
   */
  public boolean mayRedrive(Instant seen) {
    return (status == UploadStatus.UPLOADED || status == UploadStatus.PROCESSING)
        && updatedAt.equals(seen);
  }
}
