package dev.cirrus.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Talks to the Firebase Auth emulator's REST API as an app and as an administrator would: sign up,
 * sign in, set custom claims, disable, revoke. For tests and docs/walkthrough.md.
 */
public final class AuthEmulatorClient {
  private static final String API_KEY = "fake-api-key";

  private final String base;
  private final String projectId;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  public AuthEmulatorClient(String host, String projectId) {
    this.base = "http://" + host + "/identitytoolkit.googleapis.com/v1/";
    this.projectId = projectId;
  }

  /** A signed-in user of the emulator. */
  public record User(String uid, String email, String idToken) {}

  public User signUp(String email, String password) {
    JsonNode r =
        post(
            "accounts:signUp?key=" + API_KEY,
            Map.of("email", email, "password", password, "returnSecureToken", true),
            false);
    return new User(r.path("localId").asText(), email, r.path("idToken").asText());
  }

  public User signIn(String email, String password) {
    JsonNode r =
        post(
            "accounts:signInWithPassword?key=" + API_KEY,
            Map.of("email", email, "password", password, "returnSecureToken", true),
            false);
    return new User(r.path("localId").asText(), email, r.path("idToken").asText());
  }

  /** Firebase anonymous sign-in: a new account with no email, as any app's API key can make. */
  public User signUpAnonymously() {
    JsonNode r = post("accounts:signUp?key=" + API_KEY, Map.of("returnSecureToken", true), false);
    return new User(r.path("localId").asText(), null, r.path("idToken").asText());
  }

  /** Marks the email verified, as the link in the verification mail would; for new tokens. */
  public void verifyEmail(String uid) {
    post(
        "projects/" + projectId + "/accounts:update",
        Map.of("localId", uid, "emailVerified", true),
        true);
  }

  /** Sets the {@code roles} custom claim; takes effect in tokens issued afterwards. */
  public void setRoles(String uid, List<String> roles) {
    try {
      String claims = json.writeValueAsString(Map.of("roles", roles));
      post(
          "projects/" + projectId + "/accounts:update",
          Map.of("localId", uid, "customAttributes", claims),
          true);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public void disable(String uid) {
    post(
        "projects/" + projectId + "/accounts:update",
        Map.of("localId", uid, "disableUser", true),
        true);
  }

  /** Revokes every token issued before now. */
  public void revokeTokens(String uid) {
    post(
        "projects/" + projectId + "/accounts:update",
        Map.of("localId", uid, "validSince", Long.toString(System.currentTimeMillis() / 1000 + 1)),
        true);
  }

  /** Deletes the account, as the Firebase console or the Admin SDK's deleteUser would. */
  public void delete(String uid) {
    post("projects/" + projectId + "/accounts:delete", Map.of("localId", uid), true);
  }

  /** Whether the account exists. */
  public boolean exists(String uid) {
    JsonNode users =
        post("projects/" + projectId + "/accounts:lookup", Map.of("localId", List.of(uid)), true)
            .path("users");
    return users.isArray() && !users.isEmpty();
  }

  private JsonNode post(String path, Map<String, Object> body, boolean admin) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      if (admin) {
        request.header("Authorization", "Bearer owner");
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException closedUnderUs) {
        // Node closes idle keep-alive connections after 5 s; the JDK client does not retry a
        // POST on a connection that died that way. Once more, on a fresh connection.
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            path + " answered " + response.statusCode() + ": " + new String(response.body()));
      }
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("Auth emulator call failed: " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
