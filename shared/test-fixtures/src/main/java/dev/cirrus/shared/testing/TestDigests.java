package dev.cirrus.shared.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Digests as Cloud Storage and the API give them, computed independently of the code under test:
 * base64 MD5, and base64 of the big-endian CRC32C. (The storage emulator's own tests keep their
 * copy: that module cannot depend on this one.)
 */
public final class TestDigests {
  private TestDigests() {}

  public static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
