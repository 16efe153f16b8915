package dev.cirrus.shared.adapter.firebase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpRequest;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.auth.FirebaseAuth;
import dev.cirrus.shared.auth.CachingTokenVerifier;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.auth.VerifiedToken;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real RS256 verification through the Admin SDK, offline: the SDK's HTTP transport serves a test
 * certificate where Google's token keys would be, and the user record where the Identity Toolkit
 * API would answer {@code accounts:lookup} (the revocation check); tokens are signed with the
 * certificate's key.
 */
class FirebaseTokenVerifierTest {
  private static final String PROJECT = "cirrus-prod-test";
  private static final String KID = "test-kid-1";
  private static final Duration MAX_AGE = Duration.ofSeconds(300);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FirebaseApp app;
  private static PrivateKey key;
  private static FirebaseTokenVerifier verifier;
  private static FirebaseTokenVerifier revocationChecking;

  /** The user record the fake Identity Toolkit answers with; tests change it. */
  private static final AtomicReference<Map<String, Object>> USER = new AtomicReference<>();

  private static final AtomicInteger LOOKUPS = new AtomicInteger();

  @BeforeAll
  static void setUp() throws Exception {
    String cert = resource("/auth/test-cert.pem");
    String keyPem = resource("/auth/test-key.pem");
    key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(
                new PKCS8EncodedKeySpec(
                    Base64.getMimeDecoder()
                        .decode(
                            keyPem
                                .replace("-----BEGIN PRIVATE KEY-----", "")
                                .replace("-----END PRIVATE KEY-----", ""))));
    String keys = JSON.writeValueAsString(Map.of(KID, cert));
    MockHttpTransport transport =
        new MockHttpTransport() {
          @Override
          public LowLevelHttpRequest buildRequest(String method, String url) {
            return new MockLowLevelHttpRequest(url) {
              @Override
              public LowLevelHttpResponse execute() throws IOException {
                MockLowLevelHttpResponse response =
                    new MockLowLevelHttpResponse().setContentType("application/json");
                if (url.endsWith("/accounts:lookup")) {
                  LOOKUPS.incrementAndGet();
                  return response.setContent(
                      JSON.writeValueAsString(Map.of("users", List.of(USER.get()))));
                }
                return response.addHeader("Cache-Control", "public, max-age=3600").setContent(keys);
              }
            };
          }
        };
    app =
        FirebaseApp.initializeApp(
            FirebaseOptions.builder()
                .setProjectId(PROJECT)
                .setCredentials(GoogleCredentials.create(new AccessToken("test", null)))
                .setHttpTransport(transport)
                .build(),
            "rs256-test");
    verifier = new FirebaseTokenVerifier(() -> FirebaseAuth.getInstance(app), false);
    revocationChecking = new FirebaseTokenVerifier(() -> FirebaseAuth.getInstance(app), true);
  }

  @BeforeEach
  void activeUser() {
    USER.set(user(0, false));
    LOOKUPS.set(0);
  }

  @AfterAll
  static void tearDown() {
    app.delete();
  }

  @Test
  void validTokenYieldsUidEmailRolesAndExpiry() throws Exception {
    long exp = Instant.now().getEpochSecond() + 3600;
    VerifiedToken token = verifier.verify(sign(header("RS256", KID), claims(exp)));
    assertThat(token.principal().uid()).isEqualTo("user-1");
    assertThat(token.principal().email()).contains("user1@example.com");
    assertThat(token.principal().roles()).containsExactly("admin");
    assertThat(token.expiresAt()).isEqualTo(Instant.ofEpochSecond(exp));
  }

  @Test
  void expiredTokenIsRejected() throws Exception {
    // Beyond the SDK's five minutes of allowed clock skew.
    Map<String, Object> claims = claims(Instant.now().getEpochSecond() - 3600);
    claims.put("iat", Instant.now().getEpochSecond() - 7200);
    claims.put("auth_time", Instant.now().getEpochSecond() - 7200);
    assertRejected(sign(header("RS256", KID), claims), "expired-token");
  }

  @Test
  void wrongAudienceIsRejected() throws Exception {
    Map<String, Object> claims = claims(Instant.now().getEpochSecond() + 3600);
    claims.put("aud", "someone-else");
    assertRejected(sign(header("RS256", KID), claims), "invalid-token");
  }

  @Test
  void wrongIssuerIsRejected() throws Exception {
    Map<String, Object> claims = claims(Instant.now().getEpochSecond() + 3600);
    claims.put("iss", "https://securetoken.google.com/someone-else");
    assertRejected(sign(header("RS256", KID), claims), "invalid-token");
  }

  @Test
  void tamperedPayloadIsRejected() throws Exception {
    String token = sign(header("RS256", KID), claims(Instant.now().getEpochSecond() + 3600));
    String[] parts = token.split("\\.");
    Map<String, Object> forged = claims(Instant.now().getEpochSecond() + 3600);
    forged.put("sub", "someone-else");
    forged.put("user_id", "someone-else");
    String tampered = parts[0] + "." + b64(JSON.writeValueAsBytes(forged)) + "." + parts[2];
    assertRejected(tampered, "invalid-token");
  }

  @Test
  void unsignedAlgNoneTokenIsRejected() throws Exception {
    String unsigned =
        b64(JSON.writeValueAsBytes(header("none", KID)))
            + "."
            + b64(JSON.writeValueAsBytes(claims(Instant.now().getEpochSecond() + 3600)))
            + ".";
    assertRejected(unsigned, "invalid-token");
  }

  @Test
  void tokenSignedByAnUntrustedKeyIsRejected() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    PrivateKey trusted = key;
    try {
      key = generator.generateKeyPair().getPrivate();
      String forged = sign(header("RS256", KID), claims(Instant.now().getEpochSecond() + 3600));
      key = trusted;
      assertRejected(forged, "invalid-token");
    } finally {
      key = trusted;
    }
  }

  @Test
  void garbageIsRejected() {
    assertRejected("not-a-jwt", "invalid-token");
  }

  @Test
  void revokedTokenIsRefusedOnceTheCachedVerificationIsOlderThanItsMaximumAge() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    TokenVerifier cached = new CachingTokenVerifier(revocationChecking, clock, MAX_AGE, 100);
    long iat = Instant.now().getEpochSecond() - 10;
    String token = sign(header("RS256", KID), with(claims(iat + 3600), "iat", iat));
    assertThat(cached.verify(token).principal().uid()).isEqualTo("user-1");

    USER.set(user(iat + 5, false)); // tokens issued before iat + 5 are revoked
    clock.advance(MAX_AGE.minusSeconds(1));
    assertThat(cached.verify(token).principal().uid())
        .as("within the cache age the instance still trusts what it verified")
        .isEqualTo("user-1");
    assertThat(LOOKUPS.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> cached.verify(token))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("token-revoked"));
    assertThat(LOOKUPS.get()).isEqualTo(2);
  }

  @Test
  void disabledUserIsRefusedOnceTheCachedVerificationIsOlderThanItsMaximumAge() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    TokenVerifier cached = new CachingTokenVerifier(revocationChecking, clock, MAX_AGE, 100);
    String token = sign(header("RS256", KID), claims(Instant.now().getEpochSecond() + 3600));
    assertThat(cached.verify(token).principal().uid()).isEqualTo("user-1");

    USER.set(user(0, true));
    clock.advance(MAX_AGE.plusSeconds(1));
    assertThatThrownBy(() -> cached.verify(token))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("user-disabled"));
  }

  @Test
  void revocationCheckingVerifierAsksForTheUserEveryTime() throws Exception {
    String token = sign(header("RS256", KID), claims(Instant.now().getEpochSecond() + 3600));
    revocationChecking.verify(token);
    revocationChecking.verify(token);
    assertThat(LOOKUPS.get()).isEqualTo(2);
  }

  @Test
  void googleServiceAccountIdTokenIsNoFirebaseUser() throws Exception {
    // What API Gateway puts in Authorization: signed by a key Google trusts, but not a user's.
    Map<String, Object> claims = claims(Instant.now().getEpochSecond() + 3600);
    claims.put("iss", "https://accounts.google.com");
    claims.put("aud", "https://users-abc-ew.a.run.app");
    claims.put("email", "api-gateway@" + PROJECT + ".iam.gserviceaccount.com");
    assertRejected(sign(header("RS256", KID), claims), "invalid-token");
  }

  private static Map<String, Object> user(long validSince, boolean disabled) {
    Map<String, Object> user = new HashMap<>();
    user.put("localId", "user-1");
    user.put("email", "user1@example.com");
    user.put("disabled", disabled);
    user.put("validSince", Long.toString(validSince));
    return user;
  }

  private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
    claims.put(name, value);
    claims.put("auth_time", claims.get("iat"));
    return claims;
  }

  private static void assertRejected(String token, String code) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(Unauthenticated.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static Map<String, Object> header(String alg, String kid) {
    return Map.of("alg", alg, "kid", kid, "typ", "JWT");
  }

  private static Map<String, Object> claims(long exp) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> c = new HashMap<>();
    c.put("iss", "https://securetoken.google.com/" + PROJECT);
    c.put("aud", PROJECT);
    c.put("sub", "user-1");
    c.put("user_id", "user-1");
    c.put("email", "user1@example.com");
    c.put("roles", List.of("admin"));
    c.put("iat", Math.min(now, exp - 1));
    c.put("auth_time", Math.min(now, exp - 1));
    c.put("exp", exp);
    return c;
  }

  private static String sign(Map<String, Object> header, Map<String, Object> claims)
      throws Exception {
    String input = b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(rsa.sign());
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String resource(String name) throws Exception {
    try (var in = FirebaseTokenVerifierTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
