package dev.cirrus.shared.adapter.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.adapter.authemulator.EmulatorTokenVerifier;
import dev.cirrus.shared.admin.IdentityAdmin;
import dev.cirrus.shared.admin.IdentityAdminContract;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.error.Unauthenticated;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firebase Auth emulator; and what it does to the user's tokens. */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class IdentityToolkitAdminTest extends IdentityAdminContract {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AuthEmulatorClient auth;
  private static IdentityToolkitAdmin adapter;
  private static EmulatorTokenVerifier verifier;
  private static URI accounts;

  @BeforeAll
  static void connect(TestEmulators emulators) {
    auth = emulators.authClient();
    URI api = URI.create("http://" + emulators.authHost() + "/identitytoolkit.googleapis.com");
    adapter =
        new IdentityToolkitAdmin(
            api, emulators.projectId(), () -> HTTP, () -> "owner", JSON, Clock.systemUTC());
    accounts = URI.create(api + "/v1/projects/" + emulators.projectId() + "/accounts");
    verifier =
        new EmulatorTokenVerifier(
            CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                    "FIREBASE_AUTH_EMULATOR_HOST", emulators.authHost())),
            () -> HTTP,
            JSON,
            Clock.systemUTC());
  }

  @Override
  protected IdentityAdmin admin() {
    return adapter;
  }

  @Override
  protected String signUp(String email) {
    return auth.signUp(email, "secret123").uid();
  }

  @Override
  protected void setOtherClaim(String uid, String name, String value) {
    try {
      post(
          "update",
          Map.of("localId", uid, "customAttributes", JSON.writeValueAsString(Map.of(name, value))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected String otherClaim(String uid, String name) {
    try {
      JsonNode user = post("lookup", Map.of("localId", List.of(uid))).path("users").get(0);
      return JSON.readTree(user.path("customAttributes").asText("{}")).path(name).asText(null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aTokenIssuedBeforeTheRevocationIsRefusedAndTheNextCarriesTheNewRoles() throws Exception {
    String email = "revoked-" + UUID.randomUUID() + "@example.com";
    String old = auth.signUp(email, "secret123").idToken();
    String uid = verifier.verify(old).principal().uid();
    // Firebase keeps the revocation in whole seconds: a token from the same second stays valid.
    Thread.sleep(1100 - Instant.now().getNano() / 1_000_000 % 1000);
    adapter.setRoles(uid, Set.of("admin"));
    adapter.revokeSessions(uid);
    assertThatThrownBy(() -> verifier.verify(old))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("token-revoked"));
    // A token minted in the revocation's own second is valid again: iat is not before validSince.
    String fresh = auth.signIn(email, "secret123").idToken();
    assertThat(verifier.verify(fresh).principal().roles()).containsExactly("admin");
  }

  @Test
  void aDisabledAccountsTokensAreRefused() {
    String email = "disabled-" + UUID.randomUUID() + "@example.com";
    AuthEmulatorClient.User user = auth.signUp(email, "secret123");
    adapter.setDisabled(user.uid(), true);
    assertThatThrownBy(() -> verifier.verify(user.idToken()))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("user-disabled"));
  }

  private static JsonNode post(String method, Map<String, Object> body) throws IOException {
    try {
      HttpResponse<byte[]> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(accounts + ":" + method))
                  .header("Authorization", "Bearer owner")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
