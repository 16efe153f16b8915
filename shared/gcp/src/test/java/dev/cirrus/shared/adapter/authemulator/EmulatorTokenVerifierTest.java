package dev.cirrus.shared.adapter.authemulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.auth.Standing;
import dev.cirrus.shared.auth.VerifiedToken;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.error.Unauthenticated;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Against the real Firebase Auth emulator. */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class EmulatorTokenVerifierTest {
  private static AuthEmulatorClient auth;
  private static EmulatorTokenVerifier verifier;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void setUp(TestEmulators emulators) {
    auth = emulators.authClient();
    CirrusConfig config =
        CirrusConfig.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                "FIREBASE_AUTH_EMULATOR_HOST", emulators.authHost()));
    verifier = new EmulatorTokenVerifier(config, () -> HTTP, new ObjectMapper(), Clock.systemUTC());
  }

  private static String email() {
    return UUID.randomUUID() + "@example.com";
  }

  @Test
  void signedUpUserIsVerifiedWithRolesFromCustomClaims() {
    String email = email();
    AuthEmulatorClient.User user = auth.signUp(email, "secret123");
    auth.setRoles(user.uid(), List.of("admin"));
    VerifiedToken token = verifier.verify(auth.signIn(email, "secret123").idToken());
    assertThat(token.principal().uid()).isEqualTo(user.uid());
    assertThat(token.principal().email()).contains(email);
    assertThat(token.principal().roles()).containsExactly("admin");
  }

  @Test
  void theStandingOfAnAccountComesFromItsSignInProviderAndVerifiedEmail() {
    String email = email();
    AuthEmulatorClient.User user = auth.signUp(email, "secret123");
    assertThat(verifier.verify(user.idToken()).principal().standing())
        .isEqualTo(Standing.UNVERIFIED);
    auth.verifyEmail(user.uid());
    assertThat(verifier.verify(auth.signIn(email, "secret123").idToken()).principal().standing())
        .isEqualTo(Standing.VERIFIED);
    assertThat(verifier.verify(auth.signUpAnonymously().idToken()).principal().standing())
        .isEqualTo(Standing.ANONYMOUS);
  }

  @Test
  void warmUpAsksTheEmulatorOnceAndNeverThrows() {
    AtomicInteger clientsBuilt = new AtomicInteger();
    CirrusConfig config =
        CirrusConfig.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "demo-warm-up",
                "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:1"));
    EmulatorTokenVerifier unreachable =
        new EmulatorTokenVerifier(
            config,
            () -> {
              clientsBuilt.incrementAndGet();
              return HTTP;
            },
            new ObjectMapper(),
            Clock.systemUTC());
    assertThat(clientsBuilt).hasValue(0); // nothing slow while the function is constructed

    unreachable.warmUp();

    assertThat(clientsBuilt).hasValue(1);
    verifier.warmUp();
    String email = email();
    auth.signUp(email, "secret123");
    assertThat(verifier.verify(auth.signIn(email, "secret123").idToken()).principal().email())
        .contains(email);
  }

  @Test
  void disabledUserIsRefused() {
    AuthEmulatorClient.User user = auth.signUp(email(), "secret123");
    auth.disable(user.uid());
    assertThatThrownBy(() -> verifier.verify(user.idToken()))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("user-disabled"));
  }

  @Test
  void revokedTokenIsRefused() throws Exception {
    AuthEmulatorClient.User user = auth.signUp(email(), "secret123");
    Thread.sleep(1100); // validSince has one-second resolution
    auth.revokeTokens(user.uid());
    assertThatThrownBy(() -> verifier.verify(user.idToken()))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("token-revoked"));
  }

  @Test
  void tokenForAnotherProjectIsRefused() {
    AuthEmulatorClient.User user = auth.signUp(email(), "secret123");
    String[] parts = user.idToken().split("\\.", -1);
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.replace("demo-cirrus-test", "demo-other").getBytes())
            + "."
            + parts[2];
    assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(Unauthenticated.class);
  }

  @Test
  void garbageIsRefused() {
    for (String token : List.of("", "a.b", "a.b.c", "x.eyJzdWIiOiJ1In0.y")) {
      assertThatThrownBy(() -> verifier.verify(token))
          .as(token)
          .isInstanceOf(Unauthenticated.class);
    }
  }

  @Test
  void refusedOutsideDemoProjects() {
    CirrusConfig prod = CirrusConfig.fromEnvironment(Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod"));
    assertThatThrownBy(
            () ->
                new EmulatorTokenVerifier(prod, () -> HTTP, new ObjectMapper(), Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class);
  }
}
