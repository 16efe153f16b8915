package dev.cirrus.local.storage.blob;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/** MD5 and CRC32C over a stream of chunks, in Cloud Storage's base64 encodings. */
final class Digests {
  private final MessageDigest md5;
  private final CRC32C crc32c = new CRC32C();
  private long size;

  Digests() {
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  void update(byte[] bytes, int offset, int length) {
    updateMd5(bytes, offset, length);
    updateCrc32c(bytes, offset, length);
  }

  /** MD5 alone: the costly half, which large transfers compute on another thread. */
  void updateMd5(byte[] bytes, int offset, int length) {
    md5.update(bytes, offset, length);
  }

  /** CRC32C and the size. */
  void updateCrc32c(byte[] bytes, int offset, int length) {
    crc32c.update(bytes, offset, length);
    size += length;
  }

  StoredBlob toBlob(String id) {
    byte[] crc = ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array();
    return new StoredBlob(
        id,
        size,
        Base64.getEncoder().encodeToString(md5.digest()),
        Base64.getEncoder().encodeToString(crc));
  }
}
