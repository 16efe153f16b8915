package dev.cirrus.shared.files;

import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PreconditionFailed;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored document {@code files/{id}}.
 *
 * @param status ready, or deleted for a tombstone kept while its bytes are purged
 * @param originalObject the original's name in the files bucket
 * @param version increases with every change; the {@code ETag} is made of it
 */
public record FileRecord(
    String id,
    String ownerUid,
    String uploadId,
    String filename,
    Contents contents,
    FileStatus status,
    Instant createdAt,
    Instant updatedAt,
    List<String> tags,
    Optional<ImageInfo> image,
    List<Thumbnail> thumbnails,
    String originalObject,
    long version) {

  public FileRecord {
    tags = List.copyOf(tags);
    thumbnails = List.copyOf(thumbnails);
  }

  /** What the bytes of an upload turned out to be: the sniffed type, the length, the digests. */
  public record Contents(String contentType, long size, Digests digests) {}

  /**
   * The three digests of a file's bytes, base64 (md5, crc32c, as Cloud Storage) and hex (sha256).
   */
  public record Digests(String md5, String crc32c, String sha256) {}

  public String contentType() {
    return contents.contentType();
  }

  public long size() {
    return contents.size();
  }

  public String md5() {
    return contents.digests().md5();
  }

  public String crc32c() {
    return contents.digests().crc32c();
  }

  public String sha256() {
    return contents.digests().sha256();
  }

  /**
   * The id of the file an upload becomes: the upload's own. A redelivered event then writes the
   * same document and the same objects, with no table from uploads to files.
   */
  public static String idOf(Upload upload) {
    return FileId.of(new UploadId(upload.id())).value();
  }

  /** The ready file an upload becomes, at version 1 with no tags. */
  public static FileRecord ready(
      Upload upload,
      Contents contents,
      Optional<ImageInfo> image,
      List<Thumbnail> thumbnails,
      String originalObject,
      Instant now) {
    return new FileRecord(
        idOf(upload),
        upload.ownerUid(),
        upload.id(),
        upload.filename(),
        contents,
        FileStatus.READY,
        now,
        now,
        List.of(),
        image,
        thumbnails,
        originalObject,
        1);
  }

  /** The files bucket's prefix for all of one user's files. */
  public static String ownerPrefix(String ownerUid) {
    return "files/" + ownerUid + "/";
  }

  /** The files bucket's prefix for one file: original and thumbnails live under it. */
  public static String objectPrefix(String ownerUid, String fileId) {
    return ownerPrefix(ownerUid) + fileId + "/";
  }

  public String etag() {
    return "\"" + id + "-v" + version + "\"";
  }

  /** A file that is no longer there for its owner: deleted, its bytes being purged. */
  public boolean isDeleted() {
    return status == FileStatus.DELETED;
  }

  /**
   * The file renamed and/or re-tagged, one version on: the rule every store applies.
   *
   * @throws NotFound when it is deleted
   * @throws PreconditionFailed when {@code expectedVersion} is given and is not its version
   */
  public FileRecord edited(
      Optional<Long> expectedVersion,
      Optional<String> newFilename,
      Optional<List<String>> newTags,
      Instant now) {
    if (isDeleted()) {
      throw new NotFound("file not found");
    }
    if (expectedVersion.isPresent() && expectedVersion.get() != version) {
      throw new PreconditionFailed(
          "etag-mismatch", "the file has changed; its current ETag is " + etag());
    }
    return new FileRecord(
        id,
        ownerUid,
        uploadId,
        newFilename.orElse(filename),
        contents,
        status,
        createdAt,
        now,
        newTags.orElse(tags),
        image,
        thumbnails,
        originalObject,
        version + 1);
  }

  /** Its tombstone, one version on; the store releases its size from the owner's quota. */
  public FileRecord deleted(Instant now) {
    return new FileRecord(
        id,
        ownerUid,
        uploadId,
        filename,
        contents,
        FileStatus.DELETED,
        createdAt,
        now,
        tags,
        image,
        thumbnails,
        originalObject,
        version + 1);
  }

  /**
   * How long a tombstone stays after the delete: as long as Cloud Storage's soft delete keeps the
   * bytes (infra/storage.tf), so that while they can still be restored, what they were (owner,
   * name, digests) can be read here. A retried {@code DELETE} within it answers 204 again. Then the
   * sweeper removes any bytes left and the document.
   */
  public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(7);

  /** Every object the file has in the files bucket: the original and each thumbnail. */
  public List<ObjectRef> objects(String filesBucket) {
    List<ObjectRef> objects = new ArrayList<>();
    objects.add(new ObjectRef(filesBucket, originalObject));
    for (Thumbnail thumbnail : thumbnails) {
      objects.add(new ObjectRef(filesBucket, thumbnail.objectName()));
    }
    return List.copyOf(objects);
  }

  public Optional<Thumbnail> thumbnail(String variant) {
    return thumbnails.stream().filter(t -> t.variant().equals(variant)).findFirst();
  }
}
