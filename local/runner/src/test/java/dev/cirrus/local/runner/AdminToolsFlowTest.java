package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.functions.admin.GrantAdmin;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin tools through the gateway: the first admin made by the operator's command, roles that
 * hold from the next request both ways (no wait for a token to expire), disabling, and the audit
 * log of every action.
 */
@ExtendWith(RunningStack.class)
class AdminToolsFlowTest {
  private static LocalStack stack;
  private static StackApi api;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    api = new StackApi(stack);
  }

  /**
   * Firebase keeps revocations in whole seconds and refuses tokens issued before that second: a
   * token must be from an earlier second than the revocation for the revocation to reach it.
   */
  private static void intoTheNextSecond() throws InterruptedException {
    Thread.sleep(1100 - Instant.now().getNano() / 1_000_000);
  }

  private static int grant(String email, StringBuilder output) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        GrantAdmin.run(
            stack.endpoints().asEnvironment(),
            new String[] {"grant", email},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    output.append(out.toString(StandardCharsets.UTF_8));
    return status;
  }

  private static HttpResponse<String> get(String path, AuthEmulatorClient.User caller)
      throws Exception {
    return api.call("GET", path, caller.idToken(), null);
  }

  @Test
  void rolesHoldFromTheNextRequestAndEveryActionIsAudited() throws Exception {
    AuthEmulatorClient.User first = api.newUser();
    AuthEmulatorClient.User other = api.newUser();
    assertThat(get("/v1/admin/audit", first).statusCode()).isEqualTo(403);

    // The first admin: by the operator's command, never by the API.
    intoTheNextSecond();
    StringBuilder said = new StringBuilder();
    assertThat(grant(first.email(), said)).as(said.toString()).isZero();
    assertThat(said).contains(first.uid()).contains("admin");
    assertThat(get("/v1/admin/audit", first).statusCode())
        .as("the token from before the grant is revoked")
        .isEqualTo(401);
    AuthEmulatorClient.User admin = api.signInAgain(first);
    assertThat(get("/v1/admin/audit", admin).statusCode()).isEqualTo(200);

    // Granted through the API: the user's next token carries it, at once.
    HttpResponse<String> granted =
        api.call(
            "PUT",
            "/v1/admin/users/" + other.uid() + "/roles",
            admin.idToken(),
            "{\"roles\":[\"admin\"]}");
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
    assertThat(StackApi.json(granted).path("roles").toString()).isEqualTo("[\"admin\"]");
    String grantRequest = granted.headers().firstValue("X-Request-Id").orElseThrow();
    AuthEmulatorClient.User otherAdmin = api.signInAgain(other);
    assertThat(get("/v1/admin/users/" + first.uid(), otherAdmin).statusCode()).isEqualTo(200);

    // Taken away: the token that carries it is refused on the next admin request.
    intoTheNextSecond();
    HttpResponse<String> revoked =
        api.call(
            "PUT", "/v1/admin/users/" + other.uid() + "/roles", admin.idToken(), "{\"roles\":[]}");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    HttpResponse<String> refused = get("/v1/admin/audit", otherAdmin);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(StackApi.json(refused).path("code").asText()).isEqualTo("token-revoked");
    assertThat(get("/v1/admin/audit", api.signInAgain(other)).statusCode()).isEqualTo(403);

    // A role outside the known set.
    HttpResponse<String> unknown =
        api.call(
            "PUT",
            "/v1/admin/users/" + other.uid() + "/roles",
            admin.idToken(),
            "{\"roles\":[\"root\"]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");

    // Disabled: a token never seen before is refused everywhere, enabled again it signs in.
    AuthEmulatorClient.User fresh = api.signInAgain(other);
    assertThat(
            api.call("POST", "/v1/admin/users/" + other.uid() + ":disable", admin.idToken(), null)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> disabled = get("/v1/me", fresh);
    assertThat(disabled.statusCode()).isEqualTo(401);
    assertThat(StackApi.json(disabled).path("code").asText()).isEqualTo("user-disabled");
    assertThat(
            api.call("POST", "/v1/admin/users/" + other.uid() + ":enable", admin.idToken(), null)
                .statusCode())
        .isEqualTo(200);
    assertThat(get("/v1/me", api.signInAgain(other)).statusCode()).isEqualTo(200);

    // Every action is in the log, newest first, with who, what, whom and which request.
    JsonNode entries = StackApi.json(get("/v1/admin/audit?pageSize=200", admin)).path("entries");
    List<String> mine = new ArrayList<>();
    for (JsonNode e : entries) {
      if (e.path("target").asText().equals(other.uid())
          || e.path("target").asText().equals(first.uid())) {
        mine.add(
            e.path("action").asText()
                + " by "
                + actor(e, first, other)
                + " "
                + e.path("outcome").asText());
      }
      if (e.path("requestId").asText().equals(grantRequest)) {
        assertThat(e.path("details").path("after").asText()).isEqualTo("admin");
        assertThat(e.path("actorEmail").asText()).isEqualTo(first.email());
      }
    }
    assertThat(mine)
        .containsExactly(
            "user.enable by first done",
            "user.disable by first done",
            "user.roles.set by first done",
            "user.read by other done",
            "user.roles.set by first done",
            "user.roles.set by cli done");
  }

  private static String actor(
      JsonNode e, AuthEmulatorClient.User first, AuthEmulatorClient.User other) {
    String uid = e.path("actorUid").asText();
    return uid.equals(first.uid())
        ? "first"
        : uid.equals(other.uid()) ? "other" : uid.startsWith("cli:") ? "cli" : uid;
  }
}
