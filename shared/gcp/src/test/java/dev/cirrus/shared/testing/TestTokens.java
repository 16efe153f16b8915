package dev.cirrus.shared.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JWTs for tests: Firebase ID token claims, the Auth emulator's unsigned kind, RS256-signed ones,
 * and edits of either (an edited signed token keeps its now wrong signature).
 */
public final class TestTokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestTokens() {}

  /** The claims of a Firebase ID token for {@code uid}, issued now, valid an hour. */
  public static Map<String, Object> firebaseClaims(String projectId, String uid) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "https://securetoken.google.com/" + projectId);
    claims.put("aud", projectId);
    claims.put("sub", uid);
    claims.put("user_id", uid);
    claims.put("iat", now);
    claims.put("auth_time", now);
    claims.put("exp", now + 3600);
    return claims;
  }

  /** The claims of the ID token Google issues a service account (what API Gateway sends). */
  public static Map<String, Object> serviceAccountClaims(String email, String audience) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "https://accounts.google.com");
    claims.put("aud", audience);
    claims.put("sub", "100000000000000000001");
    claims.put("email", email);
    claims.put("iat", now);
    claims.put("exp", now + 3600);
    return claims;
  }

  /** {@code alg: none} and an empty signature, as the Auth emulator issues them. */
  public static String unsigned(Map<String, ?> claims) {
    return b64(json(Map.of("alg", "none", "typ", "JWT"))) + "." + b64(json(claims)) + ".";
  }

  public static String signed(Map<String, ?> claims, PrivateKey key, String kid) {
    String input =
        b64(json(Map.of("alg", "RS256", "kid", kid, "typ", "JWT"))) + "." + b64(json(claims));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code token} with some claims replaced ({@code name, value, ...}), header and signature kept.
   */
  public static String withClaims(String token, Object... pairs) {
    String[] parts = token.split("\\.", -1);
    ObjectNode claims = (ObjectNode) claimsOf(token);
    for (int i = 0; i < pairs.length; i += 2) {
      claims.set((String) pairs[i], JSON.valueToTree(pairs[i + 1]));
    }
    return parts[0] + "." + b64(json(claims)) + "." + parts[2];
  }

  public static JsonNode claimsOf(String token) {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.", -1)[1]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A key nobody trusts. */
  public static PrivateKey newKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
