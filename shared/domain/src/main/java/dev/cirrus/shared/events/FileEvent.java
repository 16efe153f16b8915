package dev.cirrus.shared.events;

import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.uploads.Upload;
import java.time.Instant;

/**
 * The body of a {@code file-events} message. Its type travels in the {@code type} attribute too, so
 * subscribers can filter without decoding. {@code eventId} is the same on every redelivery and
 * republication, so subscribers can drop duplicates.
 */
public record FileEvent(
    String eventId,
    String type,
    String fileId,
    String uploadId,
    String ownerUid,
    String filename,
    String contentType,
    Long size,
    String reason,
    Instant occurredAt) {

  public static final String READY = "file.ready";
  public static final String REJECTED = "file.rejected";
  public static final String DELETED = "file.deleted";

  /** An upload became {@code file}; the event id is the same however often it is announced. */
  public static FileEvent ready(Upload upload, FileRecord file, Instant at) {
    return new FileEvent(
        upload.id() + ":" + READY,
        READY,
        file.id(),
        upload.id(),
        upload.ownerUid(),
        upload.filename(),
        file.contentType(),
        file.size(),
        null,
        at);
  }

  /**
   * An upload became a file, announced again by a delivery that no longer has the file record: what
   * the upload declared stands in for what the file holds.
   */
  public static FileEvent readyAgain(Upload upload, Instant at) {
    return new FileEvent(
        upload.id() + ":" + READY,
        READY,
        upload.fileId().orElse(upload.id()),
        upload.id(),
        upload.ownerUid(),
        upload.filename(),
        upload.contentType(),
        upload.size(),
        null,
        at);
  }

  public static FileEvent rejected(Upload upload, String reason, Instant at) {
    return new FileEvent(
        upload.id() + ":" + REJECTED,
        REJECTED,
        null,
        upload.id(),
        upload.ownerUid(),
        upload.filename(),
        upload.contentType(),
        upload.size(),
        reason,
        at);
  }

  public static FileEvent deleted(FileRecord file, Instant at) {
    return new FileEvent(
        file.id() + ":" + DELETED,
        DELETED,
        file.id(),
        file.uploadId(),
        file.ownerUid(),
        file.filename(),
        file.contentType(),
        file.size(),
        null,
        at);
  }
}
