package dev.cirrus.local.storage;

import java.util.Map;

/** The writable metadata of an object, as a client sends it. */
public record ObjectFields(
    String contentType,
    Map<String, String> metadata,
    String contentDisposition,
    String cacheControl,
    String contentEncoding,
    String md5Hash,
    String crc32c) {
  public static final ObjectFields EMPTY =
      new ObjectFields(null, Map.of(), null, null, null, null, null);

  public ObjectFields {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** These fields with {@code type} as content type, unless one is already set. */
  public ObjectFields withContentTypeIfAbsent(String type) {
    if (contentType != null || type == null) {
      return this;
    }
    return new ObjectFields(
        type, metadata, contentDisposition, cacheControl, contentEncoding, md5Hash, crc32c);
  }
}
