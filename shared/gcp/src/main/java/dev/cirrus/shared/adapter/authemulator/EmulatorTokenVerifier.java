package dev.cirrus.shared.adapter.authemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.RolesClaim;
import dev.cirrus.shared.auth.Standing;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.auth.VerifiedToken;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.error.Unavailable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Accepts the Firebase Auth emulator's unsigned tokens, and only in a {@code demo-} project (the
 * config refuses to start otherwise). Claims are checked as strictly as for real tokens, and the
 * user is looked up in the emulator so that deleted, disabled and revoked users are refused. Taking
 * the host from configuration, not from the process environment as the Admin SDK does, keeps the
 * emulator switch visible and testable.
 */
public final class EmulatorTokenVerifier implements TokenVerifier {
  private static final Duration SKEW = Duration.ofMinutes(5);

  private final String projectId;
  private final URI lookup;
  private final Supplier<HttpClient> http;
  private final ObjectMapper json;
  private final Clock clock;

  public EmulatorTokenVerifier(
      CirrusConfig config, Supplier<HttpClient> http, ObjectMapper json, Clock clock) {
    if (!config.usesAuthEmulator() || !config.projectId().startsWith(CirrusConfig.DEMO_PREFIX)) {
      throw new IllegalStateException("emulator tokens are only for demo- projects");
    }
    this.projectId = config.projectId();
    this.lookup =
        URI.create(
            "http://"
                + config.authEmulatorHost().orElseThrow()
                + "/identitytoolkit.googleapis.com/v1/projects/"
                + projectId
                + "/accounts:lookup");
    this.http = http;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public VerifiedToken verify(String idToken) {
    JsonNode claims = claims(idToken);
    Instant now = clock.instant();
    String uid = claims.path("sub").asText("");
    if (!("https://securetoken.google.com/" + projectId).equals(claims.path("iss").asText())
        || !projectId.equals(claims.path("aud").asText())
        || uid.isEmpty()
        || uid.length() > 128) {
      throw new Unauthenticated("invalid-token", "the token is not for this project");
    }
    Instant expiresAt = Instant.ofEpochSecond(claims.path("exp").asLong(0));
    Instant issuedAt = Instant.ofEpochSecond(claims.path("iat").asLong(Long.MAX_VALUE / 2));
    if (!expiresAt.isAfter(now)) {
      throw new Unauthenticated("expired-token", "the token has expired");
    }
    if (issuedAt.isAfter(now.plus(SKEW))) {
      throw new Unauthenticated("invalid-token", "the token was issued in the future");
    }
    requireActiveUser(uid, issuedAt);
    List<String> roles = new ArrayList<>();
    claims.path(RolesClaim.NAME).forEach(r -> roles.add(r.asText()));
    Optional<String> email =
        claims.hasNonNull("email") ? Optional.of(claims.get("email").asText()) : Optional.empty();
    Standing standing =
        Standing.of(
            email,
            claims.path("email_verified").asBoolean(false),
            Map.of(
                "sign_in_provider", claims.path("firebase").path("sign_in_provider").asText("")));
    return new VerifiedToken(
        Principal.fromToken(uid, email, RolesClaim.parse(roles), standing), expiresAt);
  }

  /** A lookup of a user nobody has: the same HTTP path as a first verification. */
  @Override
  public void warmUp() {
    try {
      requireActiveUser("cirrus-warm-up", clock.instant());
    } catch (RuntimeException expected) {
      // Unauthenticated (no such user) is the expected answer; anything else shows up later.
    }
  }

  private JsonNode claims(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new Unauthenticated("invalid-token", "the token is not a JWT");
    }
    try {
      JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (claims == null || !claims.isObject()) {
        throw new Unauthenticated("invalid-token", "the token has no claims");
      }
      return claims;
    } catch (IOException | IllegalArgumentException e) {
      throw new Unauthenticated("invalid-token", "the token is not a JWT");
    }
  }

  private void requireActiveUser(String uid, Instant issuedAt) {
    HttpResponse<byte[]> response;
    try {
      String body = json.writeValueAsString(Map.of("localId", List.of(uid)));
      HttpRequest request =
          HttpRequest.newBuilder(lookup)
              .timeout(Duration.ofSeconds(5))
              .header("Authorization", "Bearer owner")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
      HttpClient client = http.get();
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException reset) {
        // Node closes a kept-alive connection after 5 idle seconds; a request sent on it as it
        // closes is reset unanswered. A lookup reads only, so it is sent once more.
        response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      }
    } catch (IOException e) {
      throw new Unavailable("the Auth emulator did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while asking the Auth emulator", e);
    }
    if (response.statusCode() != 200) {
      throw new Unavailable(
          "the Auth emulator answered " + response.statusCode(), new IOException("lookup failed"));
    }
    JsonNode users;
    try {
      users = json.readTree(response.body()).path("users");
    } catch (IOException e) {
      throw new Unavailable("the Auth emulator answered garbage", e);
    }
    if (!users.isArray() || users.isEmpty()) {
      throw new Unauthenticated("invalid-token", "the token's user does not exist");
    }
    JsonNode user = users.get(0);
    if (user.path("disabled").asBoolean(false)) {
      throw new Unauthenticated("user-disabled", "the user is disabled");
    }
    long validSince = user.path("validSince").asLong(0);
    if (validSince > issuedAt.getEpochSecond()) {
      throw new Unauthenticated("token-revoked", "the token has been revoked");
    }
  }
}
