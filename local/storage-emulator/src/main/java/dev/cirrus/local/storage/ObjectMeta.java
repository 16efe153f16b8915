package dev.cirrus.local.storage;

import java.time.Instant;
import java.util.Map;

/**
 * One generation of an object: where it is, its bytes, the headers a client may change, and its
 * ACL.
 *
 * @param content the blob holding its bytes and what Cloud Storage computed of them
 * @param headers what {@code PATCH} and {@code PUT} on the object's metadata may change
 * @param acl the object's ACL, kept while its bucket's uniform access hides it
 */
public record ObjectMeta(
    String bucket,
    String name,
    long generation,
    long metageneration,
    Content content,
    Headers headers,
    Instant timeCreated,
    Instant updated,
    AclList acl) {
  public ObjectMeta {
    acl = acl == null ? AclList.EMPTY : acl;
  }

  /** The bytes of one generation: fixed once written. */
  public record Content(long size, String md5, String crc32c, String blobId) {}

  /**
   * The writable metadata of an object.
   *
   * @param metadata custom metadata; never null
   */
  public record Headers(
      String contentType,
      String contentEncoding,
      String contentDisposition,
      String cacheControl,
      Map<String, String> metadata) {
    public Headers {
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
  }

  public long size() {
    return content.size();
  }

  public String md5() {
    return content.md5();
  }

  public String crc32c() {
    return content.crc32c();
  }

  public String blobId() {
    return content.blobId();
  }

  public String contentType() {
    return headers.contentType();
  }

  public String contentEncoding() {
    return headers.contentEncoding();
  }

  public String contentDisposition() {
    return headers.contentDisposition();
  }

  public String cacheControl() {
    return headers.cacheControl();
  }

  public Map<String, String> metadata() {
    return headers.metadata();
  }

  /** This generation with other headers: a metadata change, so one more metageneration. */
  ObjectMeta withHeaders(Headers newHeaders, Instant now) {
    return new ObjectMeta(
        bucket, name, generation, metageneration + 1, content, newHeaders, timeCreated, now, acl);
  }

  /** This generation with another ACL: a metadata change, so one more metageneration. */
  ObjectMeta withAcl(AclList newAcl, Instant now) {
    return new ObjectMeta(
        bucket, name, generation, metageneration + 1, content, headers, timeCreated, now, newAcl);
  }
}
