package dev.cirrus.shared.storage;

import java.util.Map;
import java.util.Optional;

/**
 * An object's metadata as the store reports it.
 *
 * @param md5 base64 MD5 of the bytes; absent for composite objects
 * @param crc32c base64 big-endian CRC32C of the bytes
 */
public record StoredObject(
    ObjectRef ref,
    long generation,
    long size,
    String contentType,
    Optional<String> md5,
    Optional<String> crc32c,
    Map<String, String> metadata) {
  public StoredObject {
    metadata = Map.copyOf(metadata);
  }
}
