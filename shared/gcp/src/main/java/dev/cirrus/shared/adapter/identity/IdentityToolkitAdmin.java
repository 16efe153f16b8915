package dev.cirrus.shared.adapter.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.shared.admin.Account;
import dev.cirrus.shared.admin.IdentityAdmin;
import dev.cirrus.shared.auth.RolesClaim;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.Unavailable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link IdentityAdmin} on the Identity Toolkit REST API ({@code projects/{p}/accounts:lookup} and
 * {@code :update}), which is what the Admin SDK calls for {@code getUser}, {@code
 * setCustomUserClaims}, {@code revokeRefreshTokens} and {@code updateUser}, and what the Auth
 * emulator serves at the same paths. Over the instance's JDK client: the Admin SDK's auth client
 * would bring its own HTTP stack to a function that already has one.
 */
public final class IdentityToolkitAdmin implements IdentityAdmin {
  private final URI accounts;
  private final Supplier<HttpClient> http;
  private final Supplier<String> accessToken;
  private final ObjectMapper json;
  private final Clock clock;

  /**
   * @param api the service, or {@code http://HOST/identitytoolkit.googleapis.com} for the emulator
   * @param accessToken an OAuth token with {@code firebaseauth.users.get}, {@code .update} (the
   *     admin function) or {@code .delete} (account deletion); {@code owner} for the emulator
   */
  public IdentityToolkitAdmin(
      URI api,
      String projectId,
      Supplier<HttpClient> http,
      Supplier<String> accessToken,
      ObjectMapper json,
      Clock clock) {
    String base = api.toString().replaceAll("/+$", "");
    this.accounts = URI.create(base + "/v1/projects/" + projectId + "/accounts");
    this.http = http;
    this.accessToken = accessToken;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Optional<Account> find(String uid) {
    return user("localId", uid).map(this::account);
  }

  @Override
  public Optional<Account> findByEmail(String email) {
    return user("email", email).map(this::account);
  }

  @Override
  public void setRoles(String uid, Set<String> roles) {
    JsonNode user = user("localId", uid).orElseThrow(() -> new NotFound("user not found"));
    ObjectNode claims = customClaims(user);
    claims.set(RolesClaim.NAME, json.valueToTree(List.copyOf(roles)));
    update(uid, json.createObjectNode().put("customAttributes", claims.toString()));
  }

  @Override
  public void revokeSessions(String uid) {
    // As the Admin SDK's revokeRefreshTokens: valid since now, in seconds.
    update(
        uid,
        json.createObjectNode().put("validSince", Long.toString(clock.instant().getEpochSecond())));
  }

  @Override
  public void setDisabled(String uid, boolean disabled) {
    update(uid, json.createObjectNode().put("disableUser", disabled));
  }

  @Override
  public void delete(String uid) {
    try {
      call("delete", json.createObjectNode().put("localId", uid));
    } catch (NotFound gone) {
      // Deleted already: by an earlier try of this step, or in the console.
    }
  }

  @Override
  public Set<String> existing(Collection<String> uids) {
    if (uids.isEmpty()) {
      return Set.of();
    }
    Set<String> found = new HashSet<>();
    JsonNode users =
        call("lookup", json.createObjectNode().set("localId", json.valueToTree(List.copyOf(uids))))
            .path("users");
    users.forEach(user -> found.add(user.path("localId").asText()));
    return found;
  }

  /**
   * The one account whose {@code field} (localId or email) is {@code value}, as lookup gives it.
   */
  private Optional<JsonNode> user(String field, String value) {
    JsonNode users =
        call("lookup", json.createObjectNode().set(field, json.valueToTree(List.of(value))))
            .path("users");
    return users.isArray() && !users.isEmpty() ? Optional.of(users.get(0)) : Optional.empty();
  }

  private void update(String uid, ObjectNode body) {
    body.put("localId", uid);
    call("update", body);
  }

  private JsonNode call(String method, ObjectNode body) {
    HttpResponse<byte[]> response;
    try {
      response =
          http.get()
              .send(
                  HttpRequest.newBuilder(URI.create(accounts + ":" + method))
                      .timeout(Duration.ofSeconds(10))
                      .header("Authorization", "Bearer " + accessToken.get())
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Unavailable("Firebase Auth did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while calling Firebase Auth", e);
    }
    JsonNode answer;
    try {
      answer = json.readTree(response.body());
    } catch (IOException e) {
      throw new Unavailable("Firebase Auth answered " + response.statusCode() + " with no JSON", e);
    }
    if (response.statusCode() == 200 && answer != null) {
      return answer;
    }
    String message = answer == null ? "" : answer.path("error").path("message").asText("");
    if (message.startsWith("USER_NOT_FOUND")) {
      throw new NotFound("user not found");
    }
    throw new Unavailable(
        "Firebase Auth answered " + response.statusCode() + " " + message,
        new IOException("accounts:" + method + " failed"));
  }

  private ObjectNode customClaims(JsonNode user) {
    String raw = user.path("customAttributes").asText("");
    if (!raw.isBlank()) {
      try {
        if (json.readTree(raw) instanceof ObjectNode claims) {
          return claims;
        }
      } catch (IOException e) {
        // Not JSON: replaced by claims that are.
      }
    }
    return json.createObjectNode();
  }

  private Account account(JsonNode user) {
    Set<String> roles = Set.of();
    ObjectNode claims = customClaims(user);
    if (claims.has(RolesClaim.NAME)) {
      roles = RolesClaim.parse(json.convertValue(claims.get(RolesClaim.NAME), Object.class));
    }
    return new Account(
        user.path("localId").asText(),
        user.hasNonNull("email") ? Optional.of(user.get("email").asText()) : Optional.empty(),
        user.path("emailVerified").asBoolean(false),
        user.path("disabled").asBoolean(false),
        roles,
        millis(user.path("createdAt")),
        millis(user.path("lastLoginAt")),
        user.hasNonNull("validSince")
            ? Optional.of(Instant.ofEpochSecond(user.get("validSince").asLong()))
            : Optional.empty());
  }

  private static Optional<Instant> millis(JsonNode value) {
    return value.isMissingNode() || value.isNull() || value.asText().isBlank()
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(value.asLong()));
  }
}
