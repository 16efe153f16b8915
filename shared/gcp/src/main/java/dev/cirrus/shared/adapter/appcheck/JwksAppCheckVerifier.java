package dev.cirrus.shared.adapter.appcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.appcheck.AppCheckToken;
import dev.cirrus.shared.appcheck.AppCheckVerifier;
import dev.cirrus.shared.error.Unauthenticated;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Verifies App Check tokens as Firebase documents for backends of one's own ("Verify App Check
 * tokens from a custom backend", using a JWT library): an RS256 JWT of type {@code JWT}, signed by
 * a key of the App Check JWKS, issued by {@code https://firebaseappcheck.googleapis.com/<project
 * number>}, with {@code projects/<project number>} among its audiences, not expired; its subject is
 * the app's id. firebase-admin-java has no App Check API, so this is written on the JDK.
 */
public final class JwksAppCheckVerifier implements AppCheckVerifier {
  /** Where Firebase publishes the keys. */
  public static final URI JWKS = URI.create("https://firebaseappcheck.googleapis.com/v1/jwks");

  public static final String ISSUER_PREFIX = "https://firebaseappcheck.googleapis.com/";
  private static final int MAX_TOKEN_CHARS = 8 * 1024;

  /** A token issued this far in the future is still taken: clocks differ a little. */
  private static final Duration SKEW = Duration.ofSeconds(60);

  private final String projectNumber;
  private final AppCheckKeys keys;
  private final ObjectMapper mapper;
  private final Clock clock;

  public JwksAppCheckVerifier(
      String projectNumber, URI jwks, Supplier<HttpClient> http, ObjectMapper mapper, Clock clock) {
    this.projectNumber = projectNumber;
    this.keys = new AppCheckKeys(jwks, http, mapper, clock);
    this.mapper = mapper;
    this.clock = clock;
  }

  @Override
  public AppCheckToken verify(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      throw refused("the token is too long");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw refused("the token is not a JWT");
    }
    JsonNode header = json(parts[0]);
    if (!"RS256".equals(header.path("alg").asText())) {
      throw refused("the token is not signed with RS256");
    }
    if (!"JWT".equals(header.path("typ").asText())) {
      throw refused("the token's type is not JWT");
    }
    String kid = header.path("kid").asText("");
    RSAPublicKey key =
        keys.key(kid).orElseThrow(() -> refused("the token is signed by a key App Check lacks"));
    if (!signed(key, parts)) {
      throw refused("the token's signature does not verify");
    }
    JsonNode claims = json(parts[1]);
    if (!(ISSUER_PREFIX + projectNumber).equals(claims.path("iss").asText())) {
      throw refused("the token was issued for another project");
    }
    if (!audiences(claims).contains("projects/" + projectNumber)) {
      throw refused("the token is meant for another project");
    }
    Instant now = clock.instant();
    if (!claims.path("exp").canConvertToLong()
        || !Instant.ofEpochSecond(claims.path("exp").asLong()).isAfter(now)) {
      throw refused("the token has expired");
    }
    if (claims.path("iat").canConvertToLong()
        && Instant.ofEpochSecond(claims.path("iat").asLong()).isAfter(now.plus(SKEW))) {
      throw refused("the token was issued in the future");
    }
    String appId = claims.path("sub").asText("");
    if (appId.isEmpty()) {
      throw refused("the token names no app");
    }
    return new AppCheckToken(appId, Instant.ofEpochSecond(claims.path("exp").asLong()));
  }

  private static boolean signed(RSAPublicKey key, String[] parts) {
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(key);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static List<String> audiences(JsonNode claims) {
    List<String> audiences = new ArrayList<>();
    JsonNode aud = claims.path("aud");
    if (aud.isTextual()) {
      audiences.add(aud.asText());
    }
    aud.forEach(a -> audiences.add(a.asText()));
    return audiences;
  }

  private JsonNode json(String part) {
    try {
      JsonNode node = mapper.readTree(Base64.getUrlDecoder().decode(part));
      if (node == null || !node.isObject()) {
        throw refused("the token's parts are not JSON objects");
      }
      return node;
    } catch (IOException | IllegalArgumentException e) {
      throw refused("the token's parts are not base64url JSON");
    }
  }

  private static Unauthenticated refused(String detail) {
    return new Unauthenticated("app-check-failed", detail);
  }
}
