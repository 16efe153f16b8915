package dev.cirrus.shared.files;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stored document {@code files/{id}}.
 *
 * @param status {@code ready}, or {@code deleted} for a tombstone kept while its bytes are purged
 * @param originalObject the original's name in the files bucket
 * @param version increases with every change; the {@code ETag} is made of it
 */
public record FileRecord(
    String id,
    String ownerUid,
    String uploadId,
    String filename,
    String contentType,
    long size,
    String md5,
    String crc32c,
    String sha256,
    String status,
    Instant createdAt,
    Instant updatedAt,
    List<String> tags,
    Optional<ImageInfo> image,
    List<Thumbnail> thumbnails,
    String originalObject,
    long version) {

  public static final String READY = "ready";
  public static final String DELETED = "deleted";

  public FileRecord {
    tags = List.copyOf(tags);
    thumbnails = List.copyOf(thumbnails);
  }

  /** The files bucket's prefix for one file: original and thumbnails live under it. */
  public static String objectPrefix(String ownerUid, String fileId) {
    return "files/" + ownerUid + "/" + fileId + "/";
  }

  public String etag() {
    return "\"" + id + "-v" + version + "\"";
  }

  public Optional<Thumbnail> thumbnail(String variant) {
    return thumbnails.stream().filter(t -> t.variant().equals(variant)).findFirst();
  }
}
