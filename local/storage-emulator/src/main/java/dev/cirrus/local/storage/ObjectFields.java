package dev.cirrus.local.storage;

import java.util.Map;

/**
 * The writable metadata of an object, as a client sends it.
 *
 * @param predefinedAcl the {@code predefinedAcl} the write asks for, or null for the bucket's
 *     default object ACL
 */
public record ObjectFields(
    String contentType,
    Map<String, String> metadata,
    String contentDisposition,
    String cacheControl,
    String contentEncoding,
    String md5Hash,
    String crc32c,
    String predefinedAcl) {
  public static final ObjectFields EMPTY =
      new ObjectFields(null, Map.of(), null, null, null, null, null, null);

  public ObjectFields {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** The writable headers these fields give an object, with {@code type} as its content type. */
  public ObjectMeta.Headers headers(String type) {
    return new ObjectMeta.Headers(
        type, contentEncoding, contentDisposition, cacheControl, metadata);
  }

  /**
   * These fields with digests the request declares elsewhere (its headers) added. Two different
   * declarations of one digest cannot both match the bytes, so they are refused at once.
   */
  public ObjectFields withDeclaredDigests(String md5, String crc32c) {
    return new ObjectFields(
        contentType,
        metadata,
        contentDisposition,
        cacheControl,
        contentEncoding,
        agreedDigest("MD5", md5Hash, md5),
        agreedDigest("CRC32C", this.crc32c, crc32c),
        predefinedAcl);
  }

  /**
   * The one value of a digest declared twice (either may be null).
   *
   * @throws StorageError when the two differ
   */
  public static String agreedDigest(String digest, String declared, String added) {
    if (declared == null || declared.equals(added)) {
      return added == null ? declared : added;
    }
    if (added == null) {
      return declared;
    }
    throw StorageError.digestMismatch(
        "The " + digest + " values declared disagree: \"" + declared + "\" and \"" + added + "\".");
  }

  /** These fields with {@code type} as content type, unless one is already set. */
  public ObjectFields withContentTypeIfAbsent(String type) {
    if (contentType != null || type == null) {
      return this;
    }
    return new ObjectFields(
        type,
        metadata,
        contentDisposition,
        cacheControl,
        contentEncoding,
        md5Hash,
        crc32c,
        predefinedAcl);
  }

  /** These fields with the {@code predefinedAcl} a write asks for (null: none). */
  public ObjectFields withPredefinedAcl(String name) {
    return new ObjectFields(
        contentType,
        metadata,
        contentDisposition,
        cacheControl,
        contentEncoding,
        md5Hash,
        crc32c,
        name);
  }
}
