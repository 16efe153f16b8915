package dev.cirrus.local.storage;

import java.time.Instant;
import java.util.Map;

/**
 * One generation of an object: its metadata and the blob holding its bytes.
 *
 * @param metadata custom metadata; never null
 * @param acl the object's ACL, kept while its bucket's uniform access hides it
 */
public record ObjectMeta(
    String bucket,
    String name,
    long generation,
    long metageneration,
    long size,
    String contentType,
    String md5,
    String crc32c,
    Instant timeCreated,
    Instant updated,
    Map<String, String> metadata,
    String contentEncoding,
    String contentDisposition,
    String cacheControl,
    String blobId,
    AclList acl) {
  public ObjectMeta {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    acl = acl == null ? AclList.EMPTY : acl;
  }

  ObjectMeta withMetadata(
      Map<String, String> newMetadata,
      String newContentType,
      String newContentDisposition,
      String newCacheControl,
      String newContentEncoding,
      Instant now) {
    return new ObjectMeta(
        bucket,
        name,
        generation,
        metageneration + 1,
        size,
        newContentType,
        md5,
        crc32c,
        timeCreated,
        now,
        newMetadata,
        newContentEncoding,
        newContentDisposition,
        newCacheControl,
        blobId,
        acl);
  }

  /** This generation with another ACL: a metadata change, so one more metageneration. */
  ObjectMeta withAcl(AclList newAcl, Instant now) {
    return new ObjectMeta(
        bucket,
        name,
        generation,
        metageneration + 1,
        size,
        contentType,
        md5,
        crc32c,
        timeCreated,
        now,
        metadata,
        contentEncoding,
        contentDisposition,
        cacheControl,
        blobId,
        newAcl);
  }
}
