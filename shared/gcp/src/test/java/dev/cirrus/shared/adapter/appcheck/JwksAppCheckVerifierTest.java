package dev.cirrus.shared.adapter.appcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AppCheckIssuer;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * App Check tokens checked as Firebase documents for custom backends, against a key set served over
 * HTTP with {@code Cache-Control} as Firebase serves its own; the issuer is the local stack's.
 */
class JwksAppCheckVerifierTest {
  private static final String NUMBER = "123456789012";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final MutableClock clock = new MutableClock(Instant.now());
  private final AppCheckIssuer issuer = issuer();
  private final JwksAppCheckVerifier verifier = verifier(issuer.jwksUrl());

  private static AppCheckIssuer issuer() {
    try {
      return new AppCheckIssuer(0, NUMBER, "demo-test");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JwksAppCheckVerifier verifier(URI jwks) {
    return new JwksAppCheckVerifier(NUMBER, jwks, () -> HTTP, new ObjectMapper(), clock);
  }

  @AfterEach
  void stop() {
    issuer.close();
  }

  private Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "https://firebaseappcheck.googleapis.com/" + NUMBER);
    claims.put("aud", List.of("projects/" + NUMBER, "projects/demo-test"));
    claims.put("sub", "1:123456789012:android:abc");
    claims.put("iat", clock.instant().getEpochSecond());
    claims.put("exp", clock.instant().plusSeconds(3600).getEpochSecond());
    return claims;
  }

  private void assertRefused(String token, String detail) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("app-check-failed"))
        .hasMessageContaining(detail);
  }

  @Test
  void aTokenTheProjectsAppCheckIssuedIsAcceptedAndNamesTheApp() {
    var token = verifier.verify(issuer.mint("1:123456789012:web:def"));
    assertThat(token.appId()).isEqualTo("1:123456789012:web:def");
    assertThat(token.expiresAt()).isAfter(clock.instant());
  }

  @Test
  void somethingThatIsNotAJwtIsRefused() {
    assertRefused("", "not a JWT");
    assertRefused("a.b", "not a JWT");
    assertRefused("a.b.c.d", "not a JWT");
    assertRefused("!!.??.**", "base64url JSON");
    assertRefused("x".repeat(10_000), "too long");
  }

  @Test
  void anExpiredTokenIsRefused() {
    String token = issuer.mint(claims());
    clock.advance(Duration.ofSeconds(3601));
    assertRefused(token, "expired");
    Map<String, Object> noExpiry = claims();
    noExpiry.remove("exp");
    assertRefused(issuer.mint(noExpiry), "expired");
  }

  @Test
  void aTokenForAnotherProjectIsRefused() {
    Map<String, Object> otherIssuer = claims();
    otherIssuer.put("iss", "https://firebaseappcheck.googleapis.com/999999999999");
    assertRefused(issuer.mint(otherIssuer), "issued for another project");
    Map<String, Object> otherAudience = claims();
    otherAudience.put("aud", List.of("projects/999999999999"));
    assertRefused(issuer.mint(otherAudience), "meant for another project");
    Map<String, Object> firebaseIdToken = claims();
    firebaseIdToken.put("iss", "https://securetoken.google.com/demo-test");
    assertRefused(issuer.mint(firebaseIdToken), "issued for another project");
  }

  @Test
  void onlyRs256TokensOfTypeJwtAreTaken() {
    assertRefused(
        issuer.sign(Map.of("alg", "HS256", "typ", "JWT", "kid", issuer.keyId()), claims()),
        "RS256");
    assertRefused(
        issuer.sign(Map.of("alg", "none", "typ", "JWT", "kid", issuer.keyId()), claims()), "RS256");
    assertRefused(
        issuer.sign(Map.of("alg", "RS256", "typ", "at+jwt", "kid", issuer.keyId()), claims()),
        "type");
  }

  @Test
  void aForgedOrAlteredTokenIsRefused() throws Exception {
    // Another key, claiming this key's id.
    try (AppCheckIssuer forger = new AppCheckIssuer(0, NUMBER, "demo-test")) {
      String forged =
          forger.sign(Map.of("alg", "RS256", "typ", "JWT", "kid", issuer.keyId()), claims());
      assertRefused(forged, "signature");
      assertRefused(forger.mint("app"), "key App Check lacks");
    }
    // The project's own token with its claims changed after signing.
    String[] parts = issuer.mint("app").split("\\.");
    Map<String, Object> changed = claims();
    changed.put("sub", "someone-else");
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new ObjectMapper().writeValueAsString(changed).getBytes(StandardCharsets.UTF_8));
    assertRefused(parts[0] + "." + payload + "." + parts[2], "signature");
  }

  @Test
  void theKeysAreFetchedOncePerCacheLifetimeAndAgainForAnUnknownKeyAtMostEveryMinute()
      throws Exception {
    verifier.verify(issuer.mint("app"));
    verifier.verify(issuer.mint("app"));
    assertThat(issuer.jwksServed()).isEqualTo(1);

    try (AppCheckIssuer stranger = new AppCheckIssuer(0, NUMBER, "demo-test")) {
      clock.advance(Duration.ofMinutes(2));
      assertRefused(stranger.mint("app"), "key App Check lacks");
      assertRefused(stranger.mint("app"), "key App Check lacks");
      assertThat(issuer.jwksServed()).as("one refetch for unknown keys a minute").isEqualTo(2);
    }

    clock.advance(Duration.ofHours(6).plusMinutes(1)); // the set's max-age=21600 has passed
    verifier.verify(issuer.mint(claims()));
    assertThat(issuer.jwksServed()).isEqualTo(3);
  }

  @Test
  void keysThatCannotBeFetchedMakeTheCheckUnavailableNotAFailure() throws Exception {
    URI nowhere;
    try (AppCheckIssuer gone = new AppCheckIssuer(0, NUMBER, "demo-test")) {
      nowhere = gone.jwksUrl();
    }
    assertThatThrownBy(() -> verifier(nowhere).verify(issuer.mint("app")))
        .isInstanceOf(Unavailable.class);
  }
}
