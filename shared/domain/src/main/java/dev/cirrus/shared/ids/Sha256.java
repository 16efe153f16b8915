package dev.cirrus.shared.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ids derived from a key by SHA-256: the same key always gives the same id, which is what makes a
 * redelivered event land on the document its first delivery wrote, and an id reveals nothing of the
 * key (a device token, an object name).
 */
public final class Sha256 {
  private Sha256() {}

  /** 43 characters of {@code [A-Za-z0-9_-]}: a document id, and safe in a URL path. */
  public static String base64Url(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest(key));
  }

  /** 64 lower-case hex digits. */
  public static String hex(String key) {
    return HexFormat.of().formatHex(digest(key));
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
