package dev.cirrus.local.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's own identity: API Gateway calls each backend with a Google-signed ID token of its
 * service account, audience = the backend's address, in {@code Authorization}. Locally a key made
 * at start stands for that account. Tokens live an hour and are reused until five minutes before
 * they expire, as Google's metadata server hands them out.
 */
final class GatewayIdentity {
  private static final Duration LIFETIME = Duration.ofHours(1);
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private record Minted(String token, Instant expiresAt) {}

  private final String email;
  private final KeyPair key;
  private final String keyId;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Minted> byAudience = new ConcurrentHashMap<>();

  GatewayIdentity(String projectId, Clock clock) {
    this.email = "api-gateway@" + projectId + ".iam.gserviceaccount.com";
    this.clock = clock;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.key = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is part of every JDK", e);
    }
    this.keyId = "local-gateway-" + Long.toHexString(System.nanoTime());
  }

  /** The service account this identity stands for. */
  String email() {
    return email;
  }

  /** The key a test can check the tokens with. */
  PublicKey publicKey() {
    return key.getPublic();
  }

  /** An ID token for calling {@code audience}. */
  String tokenFor(String audience) {
    Instant now = clock.instant();
    Minted current = byAudience.get(audience);
    if (current != null && current.expiresAt().minus(RENEW_BEFORE).isAfter(now)) {
      return current.token();
    }
    Minted minted = mint(audience, now);
    byAudience.put(audience, minted);
    return minted.token();
  }

  private Minted mint(String audience, Instant now) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("kid", keyId);
    header.put("typ", "JWT");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "https://accounts.google.com");
    claims.put("aud", audience);
    claims.put("azp", email);
    claims.put("sub", "100000000000000000001");
    claims.put("email", email);
    claims.put("email_verified", true);
    claims.put("iat", now.getEpochSecond());
    Instant expiresAt = now.plus(LIFETIME);
    claims.put("exp", expiresAt.getEpochSecond());
    try {
      String input =
          b64(json.writeValueAsBytes(header)) + "." + b64(json.writeValueAsBytes(claims));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key.getPrivate());
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return new Minted(input + "." + b64(rsa.sign()), expiresAt);
    } catch (GeneralSecurityException | JsonProcessingException e) {
      throw new IllegalStateException("cannot sign the gateway's token", e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
