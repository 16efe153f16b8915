package dev.cirrus.shared.adapter.firebase;

import static dev.cirrus.shared.testing.FakeGoogleAuth.KID;
import static dev.cirrus.shared.testing.TestTokens.signed;
import static dev.cirrus.shared.testing.TestTokens.withClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.auth.FirebaseAuth;
import dev.cirrus.shared.auth.CachingTokenVerifier;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.auth.VerifiedToken;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.testing.FakeGoogleAuth;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.TestTokens;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real RS256 verification through the Admin SDK, offline: the SDK's HTTP transport ({@link
 * FakeGoogleAuth}) serves a test certificate where Google's token keys would be, and the user
 * record where the Identity Toolkit API would answer {@code accounts:lookup} (the revocation
 * check); tokens are signed with the certificate's key.
 */
class FirebaseTokenVerifierTest {
  private static final String PROJECT = "cirrus-prod-test";
  private static final Duration MAX_AGE = Duration.ofSeconds(300);
  private static final FakeGoogleAuth GOOGLE = new FakeGoogleAuth();
  private static final PrivateKey KEY = FakeGoogleAuth.signingKey();
  private static FirebaseApp app;
  private static FirebaseTokenVerifier verifier;
  private static FirebaseTokenVerifier revocationChecking;

  @BeforeAll
  static void setUp() {
    app =
        FirebaseApp.initializeApp(
            FirebaseOptions.builder()
                .setProjectId(PROJECT)
                .setCredentials(GoogleCredentials.create(new AccessToken("test", null)))
                .setHttpTransport(GOOGLE)
                .build(),
            "rs256-test");
    verifier = new FirebaseTokenVerifier(() -> FirebaseAuth.getInstance(app), false);
    revocationChecking = new FirebaseTokenVerifier(() -> FirebaseAuth.getInstance(app), true);
  }

  @AfterAll
  static void tearDown() {
    app.delete();
  }

  @BeforeEach
  void activeUser() {
    GOOGLE.setUser("user-1", 0, false);
    GOOGLE.resetLookups();
  }

  @Test
  void validTokenYieldsUidEmailRolesAndExpiry() {
    long exp = Instant.now().getEpochSecond() + 3600;
    VerifiedToken token = verifier.verify(signed(claims(exp), KEY, KID));
    assertThat(token.principal().uid()).isEqualTo("user-1");
    assertThat(token.principal().email()).contains("user1@example.com");
    assertThat(token.principal().roles()).containsExactly("admin");
    assertThat(token.expiresAt()).isEqualTo(Instant.ofEpochSecond(exp));
  }

  @Test
  void expiredTokenIsRejected() {
    // Beyond the SDK's five minutes of allowed clock skew.
    Map<String, Object> claims = claims(Instant.now().getEpochSecond() - 3600);
    claims.put("iat", Instant.now().getEpochSecond() - 7200);
    claims.put("auth_time", Instant.now().getEpochSecond() - 7200);
    assertRejected(signed(claims, KEY, KID), "expired-token");
  }

  @Test
  void wrongAudienceIsRejected() {
    Map<String, Object> claims = claims(Instant.now().getEpochSecond() + 3600);
    claims.put("aud", "someone-else");
    assertRejected(signed(claims, KEY, KID), "invalid-token");
  }

  @Test
  void wrongIssuerIsRejected() {
    Map<String, Object> claims = claims(Instant.now().getEpochSecond() + 3600);
    claims.put("iss", "https://securetoken.google.com/someone-else");
    assertRejected(signed(claims, KEY, KID), "invalid-token");
  }

  @Test
  void tamperedPayloadIsRejected() {
    String token = signed(claims(Instant.now().getEpochSecond() + 3600), KEY, KID);
    assertRejected(
        withClaims(token, "sub", "someone-else", "user_id", "someone-else"), "invalid-token");
  }

  @Test
  void unsignedAlgNoneTokenIsRejected() {
    assertRejected(
        TestTokens.unsigned(claims(Instant.now().getEpochSecond() + 3600)), "invalid-token");
  }

  @Test
  void tokenSignedByAnUntrustedKeyIsRejected() {
    String forged = signed(claims(Instant.now().getEpochSecond() + 3600), TestTokens.newKey(), KID);
    assertRejected(forged, "invalid-token");
  }

  @Test
  void garbageIsRejected() {
    assertRejected("not-a-jwt", "invalid-token");
  }

  @Test
  void revokedTokenIsRefusedOnceTheCachedVerificationIsOlderThanItsMaximumAge() {
    MutableClock clock = new MutableClock(Instant.now());
    TokenVerifier cached = new CachingTokenVerifier(revocationChecking, clock, MAX_AGE, 100);
    long iat = Instant.now().getEpochSecond() - 10;
    Map<String, Object> claims = claims(iat + 3600);
    claims.put("iat", iat);
    claims.put("auth_time", iat);
    String token = signed(claims, KEY, KID);
    assertThat(cached.verify(token).principal().uid()).isEqualTo("user-1");

    GOOGLE.setUser("user-1", iat + 5, false); // tokens issued before iat + 5 are revoked
    clock.advance(MAX_AGE.minusSeconds(1));
    assertThat(cached.verify(token).principal().uid())
        .as("within the cache age the instance still trusts what it verified")
        .isEqualTo("user-1");
    assertThat(GOOGLE.lookups()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> cached.verify(token))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("token-revoked"));
    assertThat(GOOGLE.lookups()).isEqualTo(2);
  }

  @Test
  void disabledUserIsRefusedOnceTheCachedVerificationIsOlderThanItsMaximumAge() {
    MutableClock clock = new MutableClock(Instant.now());
    TokenVerifier cached = new CachingTokenVerifier(revocationChecking, clock, MAX_AGE, 100);
    String token = signed(claims(Instant.now().getEpochSecond() + 3600), KEY, KID);
    assertThat(cached.verify(token).principal().uid()).isEqualTo("user-1");

    GOOGLE.setUser("user-1", 0, true);
    clock.advance(MAX_AGE.plusSeconds(1));
    assertThatThrownBy(() -> cached.verify(token))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("user-disabled"));
  }

  @Test
  void revocationCheckingVerifierAsksForTheUserEveryTime() {
    String token = signed(claims(Instant.now().getEpochSecond() + 3600), KEY, KID);
    revocationChecking.verify(token);
    revocationChecking.verify(token);
    assertThat(GOOGLE.lookups()).isEqualTo(2);
  }

  @Test
  void googleServiceAccountIdTokenIsNoFirebaseUser() {
    // What API Gateway puts in Authorization: signed by a key Google trusts, but not a user's.
    Map<String, Object> claims =
        TestTokens.serviceAccountClaims(
            "api-gateway@" + PROJECT + ".iam.gserviceaccount.com",
            "https://users-abc-ew.a.run.app");
    assertRejected(signed(claims, KEY, KID), "invalid-token");
  }

  private static void assertRejected(String token, String code) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(Unauthenticated.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static Map<String, Object> claims(long exp) {
    Map<String, Object> c = TestTokens.firebaseClaims(PROJECT, "user-1");
    long iat = Math.min((Long) c.get("iat"), exp - 1);
    c.put("iat", iat);
    c.put("auth_time", iat);
    c.put("exp", exp);
    c.put("email", "user1@example.com");
    c.put("roles", List.of("admin"));
    return c;
  }
}
