package dev.cirrus.shared.events;

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
}
