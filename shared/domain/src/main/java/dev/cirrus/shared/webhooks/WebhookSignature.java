package dev.cirrus.shared.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: {@code webhook-signature: v1,<base64 HMAC-SHA256>} over {@code
 * <webhook-id>.<webhook-timestamp>.<body>}, keyed by the secret's bytes (the base64 after {@code
 * whsec_}). While a secret is being rotated both sign, space-separated, and a receiver accepts
 * either.
 */
public final class WebhookSignature {
  public static final String PREFIX = "whsec_";

  private WebhookSignature() {}

  /** The header value: one {@code v1,} entry per secret, in the order given. */
  public static String header(List<String> secrets, String id, long timestamp, byte[] body) {
    List<String> entries = new ArrayList<>();
    for (String secret : secrets) {
      entries.add("v1," + Base64.getEncoder().encodeToString(mac(secret, id, timestamp, body)));
    }
    return String.join(" ", entries);
  }

  /** Whether any {@code v1} entry of {@code header} is the signature {@code secret} makes. */
  public static boolean verifies(
      String header, String secret, String id, long timestamp, byte[] body) {
    byte[] expected = mac(secret, id, timestamp, body);
    for (String entry : header.trim().split(" +")) {
      if (entry.startsWith("v1,")) {
        byte[] given;
        try {
          given = Base64.getDecoder().decode(entry.substring(3));
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (MessageDigest.isEqual(expected, given)) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] mac(String secret, String id, long timestamp, byte[] body) {
    if (!secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
    }
    byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      hmac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return hmac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
