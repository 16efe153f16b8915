package dev.cirrus.local.runner;

import static dev.cirrus.local.runner.StackApi.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of {@code infra/openapi.yaml} against every kind of caller, through the local
 * stack: forged, expired and misplaced credentials at the gateway and directly at the function,
 * then the owner, a stranger and an admin. The operations come from the file, so a route added
 * there without a row here fails the test.
 */
@ExtendWith(RunningStack.class)
class AuthMatrixTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The request one matrix row makes, for one caller. */
  record Call(String path, String body) {}

  /**
   * One operation: the call it makes on a fixture, and what the owner, a stranger and an admin get.
   * {@code mutates} rows get a fresh fixture for each caller that may change it, and after the
   * refused calls the owner reads the state back ({@code state}) to show nothing changed.
   */
  record Row(
      String operation,
      Function<Fixture, Call> call,
      int owner,
      int stranger,
      int admin,
      Function<Fixture, String> state,
      boolean ownAccount) {
    Row(
        String operation,
        Function<Fixture, Call> call,
        int owner,
        int stranger,
        int admin,
        Function<Fixture, String> state) {
      this(operation, call, owner, stranger, admin, state, false);
    }
  }

  /**
   * What the owner has: a device, a pending upload, a ready file and its notification, and a
   * webhook endpoint (for an event type nothing raises, so it is never called).
   */
  record Fixture(
      String deviceId,
      String uploadId,
      String fileId,
      String notificationId,
      Supplier<String> webhook) {
    /** Registered on first use: an owner may hold 20 endpoints, and most rows need none. */
    String webhookId() {
      return webhook.get();
    }
  }

  private static final String WEBHOOK =
      "{\"url\":\"http://127.0.0.1:9/matrix\",\"events\":[\"matrix.never\"]}";

  private static LocalStack stack;
  private static StackApi api;
  private static OpenApiRoutes routes;
  private static AuthEmulatorClient.User owner;
  private static AuthEmulatorClient.User stranger;
  private static AuthEmulatorClient.User admin;
  private static AuthEmulatorClient.User target;
  private static int cells;

  @BeforeAll
  static void connect(RunningStack.Handle handle) throws Exception {
    stack = handle.stack();
    api = new StackApi(stack);
    routes = OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml"));
    owner = api.newUser();
    stranger = api.newUser();
    admin = api.newUserWithRoles(List.of("admin"));
    // What the user tools act on: never a caller, since a role change revokes its tokens.
    target = api.newUser();
  }

  private static Fixture fixture() throws Exception {
    HttpResponse<String> device =
        api.call(
            "POST",
            "/v1/me/devices",
            owner.idToken(),
            "{\"token\":\"fcm-" + UUID.randomUUID() + "\",\"platform\":\"ios\"}");
    assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
    byte[] text = "pending".getBytes(StandardCharsets.UTF_8);
    String uploadId =
        api.createUpload(owner.idToken(), "pending.txt", "text/plain", text)
            .path("uploadId")
            .asText();
    String fileId = api.readyTextFile(owner, "matrix-" + UUID.randomUUID() + ".txt");
    // A file's id is its upload's, and the ready event's notification id derives from it.
    String notificationId = StoredNotification.idFor("event:" + fileId + ":" + FileEvent.READY);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> read("/v1/notifications?pageSize=100").contains(notificationId));
    return new Fixture(
        StackApi.json(device).path("id").asText(),
        uploadId,
        fileId,
        notificationId,
        Suppliers.memoize(AuthMatrixTest::registerWebhook));
  }

  private static String registerWebhook() {
    try {
      HttpResponse<String> webhook = api.call("POST", "/v1/webhooks", owner.idToken(), WEBHOOK);
      assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(201);
      return StackApi.json(webhook).path("id").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(String path) {
    try {
      HttpResponse<String> r = api.call("GET", path, owner.idToken(), null);
      JsonNode body = StackApi.json(r);
      if (body.isObject()) {
        ((ObjectNode) body).remove("requestId");
      }
      return r.statusCode() + " " + body;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Row> rows() {
    String upload = "upload.txt";
    return List.of(
        new Row("GET /v1/health", f -> new Call("/v1/health", null), 200, 200, 200, null),
        new Row("GET /v1/me", f -> new Call("/v1/me", null), 200, 200, 200, null),
        new Row(
            "PUT /v1/me/settings",
            f -> new Call("/v1/me/settings", "{\"mutedTypes\":[]}"),
            200,
            200,
            200,
            null),
        new Row(
            "POST /v1/me/devices",
            f ->
                new Call(
                    "/v1/me/devices",
                    "{\"token\":\"fcm-" + UUID.randomUUID() + "\",\"platform\":\"android\"}"),
            201,
            201,
            201,
            null),
        // Devices live under the caller's own profile: another user's id names nothing of theirs,
        // and deleting nothing is an idempotent 204.
        new Row(
            "DELETE /v1/me/devices/{id}",
            f -> new Call("/v1/me/devices/" + f.deviceId(), null),
            204,
            204,
            204,
            null),
        new Row(
            "POST /v1/uploads",
            f ->
                new Call(
                    "/v1/uploads",
                    "{\"filename\":\"" + upload + "\",\"contentType\":\"text/plain\",\"size\":3}"),
            201,
            201,
            201,
            null),
        new Row(
            "GET /v1/uploads/{id}",
            f -> new Call("/v1/uploads/" + f.uploadId(), null),
            200,
            404,
            200,
            null),
        new Row(
            "DELETE /v1/uploads/{id}",
            f -> new Call("/v1/uploads/" + f.uploadId(), null),
            204,
            404,
            204,
            f -> read("/v1/uploads/" + f.uploadId())),
        new Row(
            "POST /v1/uploads/{id}:complete",
            f -> new Call("/v1/uploads/" + f.uploadId() + ":complete", null),
            409, // no bytes were sent
            404,
            409,
            f -> read("/v1/uploads/" + f.uploadId())),
        new Row("GET /v1/files", f -> new Call("/v1/files", null), 200, 200, 200, null),
        new Row(
            "GET /v1/files/{id}",
            f -> new Call("/v1/files/" + f.fileId(), null),
            200,
            404,
            200,
            null),
        new Row(
            "PATCH /v1/files/{id}",
            f -> new Call("/v1/files/" + f.fileId(), "{\"tags\":[\"changed\"]}"),
            200,
            404,
            200,
            f -> read("/v1/files/" + f.fileId())),
        new Row(
            "DELETE /v1/files/{id}",
            f -> new Call("/v1/files/" + f.fileId(), null),
            204,
            404,
            204,
            f -> read("/v1/files/" + f.fileId())),
        new Row(
            "GET /v1/files/{id}/download",
            f -> new Call("/v1/files/" + f.fileId() + "/download?variant=original", null),
            200,
            404,
            200,
            null),
        new Row(
            "GET /v1/notifications", f -> new Call("/v1/notifications", null), 200, 200, 200, null),
        // Notifications live under their user: nobody else's id names one, an admin's neither.
        new Row(
            "POST /v1/notifications/{id}:read",
            f -> new Call("/v1/notifications/" + f.notificationId() + ":read", null),
            204,
            404,
            404,
            f -> read("/v1/notifications?pageSize=100")),
        new Row(
            "POST /v1/notifications:readAll",
            f -> new Call("/v1/notifications:readAll", null),
            204,
            204,
            204,
            null),
        // Operators only: a user is refused before anything is looked up.
        new Row(
            "GET /v1/admin/dead-letters",
            f -> new Call("/v1/admin/dead-letters", null),
            403,
            403,
            200,
            null),
        new Row(
            "POST /v1/admin/dead-letters/{id}:redrive",
            f -> new Call("/v1/admin/dead-letters/no-such-letter:redrive", null),
            403,
            403,
            404,
            null),
        new Row(
            "GET /v1/admin/users/{uid}",
            f -> new Call("/v1/admin/users/" + target.uid(), null),
            403,
            403,
            200,
            null),
        new Row(
            "PUT /v1/admin/users/{uid}/roles",
            f -> new Call("/v1/admin/users/" + target.uid() + "/roles", "{\"roles\":[]}"),
            403,
            403,
            200,
            null),
        new Row(
            "POST /v1/admin/users/{uid}:disable",
            f -> new Call("/v1/admin/users/" + target.uid() + ":disable", null),
            403,
            403,
            200,
            null),
        new Row(
            "POST /v1/admin/users/{uid}:enable",
            f -> new Call("/v1/admin/users/" + target.uid() + ":enable", null),
            403,
            403,
            200,
            null),
        new Row("GET /v1/admin/audit", f -> new Call("/v1/admin/audit", null), 403, 403, 200, null),
        // A fresh account for each, as the owner's own account is what it deletes.
        new Row(
            "POST /v1/admin/users/{uid}:delete",
            f -> new Call("/v1/admin/users/" + api.newUser().uid() + ":delete", null),
            403,
            403,
            202,
            null),
        new Row("GET /v1/me/deletion", f -> new Call("/v1/me/deletion", null), 404, 404, 404, null),
        // Each caller's own export: none yet for the first read, then each asks for one.
        new Row("GET /v1/me/export", f -> new Call("/v1/me/export", null), 404, 404, 404, null),
        new Row("POST /v1/me:export", f -> new Call("/v1/me:export", null), 202, 202, 202, null),
        // Webhooks: each caller registers their own; a user's endpoint is theirs alone (an
        // admin manages the project's endpoints, not the users').
        new Row("POST /v1/webhooks", f -> new Call("/v1/webhooks", WEBHOOK), 201, 201, 201, null),
        new Row("GET /v1/webhooks", f -> new Call("/v1/webhooks", null), 200, 200, 200, null),
        new Row(
            "GET /v1/webhooks/{id}",
            f -> new Call("/v1/webhooks/" + f.webhookId(), null),
            200,
            404,
            404,
            null),
        new Row(
            "PATCH /v1/webhooks/{id}",
            f -> new Call("/v1/webhooks/" + f.webhookId(), "{\"events\":[\"matrix.other\"]}"),
            200,
            404,
            404,
            f -> read("/v1/webhooks/" + f.webhookId())),
        new Row(
            "DELETE /v1/webhooks/{id}",
            f -> new Call("/v1/webhooks/" + f.webhookId(), null),
            204,
            404,
            404,
            f -> read("/v1/webhooks/" + f.webhookId())),
        new Row(
            "POST /v1/webhooks/{id}:rotateSecret",
            f -> new Call("/v1/webhooks/" + f.webhookId() + ":rotateSecret", null),
            200,
            404,
            404,
            f -> read("/v1/webhooks/" + f.webhookId())),
        new Row(
            "GET /v1/webhooks/{id}/deliveries",
            f -> new Call("/v1/webhooks/" + f.webhookId() + "/deliveries", null),
            200,
            404,
            404,
            null),
        new Row(
            "POST /v1/webhooks/{id}/deliveries/{deliveryId}:redeliver",
            f -> new Call("/v1/webhooks/" + f.webhookId() + "/deliveries/msg_none:redeliver", null),
            404,
            404,
            404,
            null),
        // Every caller deletes their own account: each gets a new one for this row.
        new Row("DELETE /v1/me", f -> new Call("/v1/me", null), 202, 202, 202, null, true));
  }

  @Test
  void everyOperationAnswersEveryKindOfCallerAsExpected() throws Exception {
    List<Row> rows = rows();
    Set<String> declared = new TreeSet<>();
    routes.operations().forEach(o -> declared.add(o.method() + " " + o.template()));
    Set<String> covered = new TreeSet<>();
    rows.forEach(r -> covered.add(r.operation()));
    assertThat(covered).as("every operation of openapi.yaml has a row").isEqualTo(declared);

    Fixture shared = fixture();
    for (Row row : rows) {
      OpenApiRoutes.Operation op = operation(row.operation());
      Fixture fixture = row.state() == null ? shared : fixture();
      String before = row.state() == null ? null : row.state().apply(fixture);
      Call call = row.call().apply(fixture);
      String method = op.method();

      for (Map.Entry<String, String> bad : badCredentials().entrySet()) {
        HttpResponse<String> r =
            api.callWithAuthorization(method, call.path(), bad.getValue(), call.body(), Map.of());
        String label = row.operation() + " at the gateway, " + bad.getKey();
        if (op.secured()) {
          assertGatewayRefused(r, label);
        } else {
          assertThat(r.statusCode()).as(label).isEqualTo(row.owner());
        }
        cells++;
      }
      URI function = stack.functionUrls().get(op.backend());
      // Around the gateway and the load balancer (API Gateway's own address): refused first.
      HttpResponse<String> around = direct(function, method, call, null, false);
      assertProblem(around, 403, row.operation() + " around the edge");
      assertThat(StackApi.json(around).path("code").asText()).isEqualTo("edge-required");
      cells++;
      for (Map.Entry<String, String> bad : misplacedCredentials().entrySet()) {
        HttpResponse<String> r = direct(function, method, call, bad.getValue(), true);
        String label = row.operation() + " directly, " + bad.getKey();
        if (op.secured()) {
          assertProblem(r, 401, label);
        } else {
          assertThat(r.statusCode()).as(label).isEqualTo(row.owner());
        }
        cells++;
      }
      AuthEmulatorClient.User stranger = row.ownAccount() ? api.newUser() : AuthMatrixTest.stranger;
      AuthEmulatorClient.User owner = row.ownAccount() ? api.newUser() : AuthMatrixTest.owner;
      AuthEmulatorClient.User admin =
          row.ownAccount() ? api.newUserWithRoles(List.of("admin")) : AuthMatrixTest.admin;
      HttpResponse<String> strangers =
          api.call(method, call.path(), stranger.idToken(), call.body());
      assertThat(strangers.statusCode())
          .as(row.operation() + " by a stranger: " + strangers.body())
          .isEqualTo(row.stranger());
      if (row.stranger() >= 400) {
        assertProblem(strangers, row.stranger(), row.operation() + " by a stranger");
      }
      cells++;
      if (before != null) {
        assertThat(row.state().apply(fixture))
            .as(row.operation() + ": refused calls changed nothing")
            .isEqualTo(before);
      }

      HttpResponse<String> owners = api.call(method, call.path(), owner.idToken(), call.body());
      assertThat(owners.statusCode())
          .as(row.operation() + " by the owner: " + owners.body())
          .isEqualTo(row.owner());
      cells++;

      Call adminCall = row.state() == null ? call : row.call().apply(fixture());
      HttpResponse<String> admins =
          api.call(method, adminCall.path(), admin.idToken(), adminCall.body());
      assertThat(admins.statusCode())
          .as(row.operation() + " by an admin: " + admins.body())
          .isEqualTo(row.admin());
      cells++;
    }
    System.out.println("auth matrix: " + rows.size() + " operations, " + cells + " calls");
  }

  @Test
  void adminOnlyListingIsForbiddenToOthersAndOpenToAdmins() throws Exception {
    String path = "/v1/files?ownerUid=" + owner.uid();
    HttpResponse<String> strangers = api.call("GET", path, stranger.idToken(), null);
    assertProblem(strangers, 403, "a non-admin listing another user's files");
    HttpResponse<String> admins = api.call("GET", path, admin.idToken(), null);
    assertThat(admins.statusCode()).as(admins.body()).isEqualTo(200);
  }

  @Test
  void revocationAndDisablingReachTheFunctionWithinTheCacheAge() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    assertThat(api.call("GET", "/v1/me", user.idToken(), null).statusCode()).isEqualTo(200);
    Thread.sleep(1100); // validSince has a resolution of one second
    long revokedAt = System.nanoTime();
    api.auth().revokeTokens(user.uid());
    HttpResponse<String> refused = awaitRefused(user.idToken());
    Duration latency = Duration.ofNanos(System.nanoTime() - revokedAt);
    assertProblem(refused, 401, "revoked");
    assertThat(StackApi.json(refused).path("code").asText()).isEqualTo("token-revoked");
    assertThat(latency).isLessThanOrEqualTo(RunningStack.TOKEN_CACHE.plusSeconds(5));
    System.out.println("revocation reached the function in " + latency.toMillis() + " ms");

    AuthEmulatorClient.User disabled = api.newUser();
    assertThat(api.call("GET", "/v1/me", disabled.idToken(), null).statusCode()).isEqualTo(200);
    api.auth().disable(disabled.uid());
    HttpResponse<String> off = awaitRefused(disabled.idToken());
    assertThat(StackApi.json(off).path("code").asText()).isEqualTo("user-disabled");
  }

  private static HttpResponse<String> awaitRefused(String token) throws Exception {
    long deadline = System.nanoTime() + RunningStack.TOKEN_CACHE.plusSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> r = api.call("GET", "/v1/me", token, null);
      if (r.statusCode() != 200 || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(100);
    }
  }

  private static OpenApiRoutes.Operation operation(String key) {
    return routes.operations().stream()
        .filter(o -> key.equals(o.method() + " " + o.template()))
        .findFirst()
        .orElseThrow();
  }

  /** Credentials the gateway must refuse (its own 401 JSON; the function is never reached). */
  private static Map<String, String> badCredentials() throws Exception {
    long now = Instant.now().getEpochSecond();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("no token", null);
    cases.put("malformed", "Bearer not-a-jwt");
    cases.put("not bearer", "Basic b3duZXI6c2VjcmV0");
    cases.put("expired", bearer(forged(owner.idToken(), "exp", now - 120, "iat", now - 3800)));
    cases.put("issued in the future", bearer(forged(owner.idToken(), "iat", now + 900)));
    cases.put("other project's audience", bearer(forged(owner.idToken(), "aud", "demo-other")));
    cases.put(
        "other project's issuer",
        bearer(forged(owner.idToken(), "iss", "https://securetoken.google.com/demo-other")));
    cases.put("signed by an unknown key", bearer(signedByUnknownKey(owner.idToken())));
    return cases;
  }

  /**
   * Credentials sent straight to the function, past the gateway: the function must refuse them
   * itself (problem+json), whatever the gateway would have done.
   */
  private static Map<String, String> misplacedCredentials() throws Exception {
    long now = Instant.now().getEpochSecond();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("no token", null);
    cases.put("expired", bearer(forged(owner.idToken(), "exp", now - 120, "iat", now - 3800)));
    cases.put("issued in the future", bearer(forged(owner.idToken(), "iat", now + 900)));
    cases.put("other project's audience", bearer(forged(owner.idToken(), "aud", "demo-other")));
    cases.put("a service account's token only", bearer(serviceAccountToken()));
    return cases;
  }

  /** A call straight to the function; {@code throughEdge} adds what the load balancer adds. */
  private static HttpResponse<String> direct(
      URI function, String method, Call call, String auth, boolean throughEdge) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(function + call.path()))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(call.body()));
    if (call.body() != null) {
      request.header("Content-Type", "application/json");
    }
    if (auth != null) {
      request.header("Authorization", auth);
    }
    if (throughEdge) {
      request.header("X-Cirrus-Edge", stack.edgeKey());
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertGatewayRefused(HttpResponse<String> r, String label) throws Exception {
    assertThat(r.statusCode()).as(label + ": " + r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).as(label).contains("application/json");
    assertThat(StackApi.json(r).path("code").asInt()).as(label).isEqualTo(401);
    assertThat(StackApi.json(r).path("message").asText()).as(label).isNotBlank();
  }

  private static void assertProblem(HttpResponse<String> r, int status, String label)
      throws Exception {
    assertThat(r.statusCode()).as(label + ": " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .as(label)
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(StackApi.json(r).path("status").asInt()).as(label).isEqualTo(status);
    assertThat(StackApi.json(r).path("code").asText()).as(label).isNotBlank();
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  /** The Auth emulator's token with some claims replaced, still unsigned as the emulator's are. */
  private static String forged(String token, Object... pairs) {
    return TestTokens.withClaims(token, pairs);
  }

  @SuppressWarnings("unchecked")
  private static String signedByUnknownKey(String token) {
    Map<String, Object> claims = JSON.convertValue(TestTokens.claimsOf(token), Map.class);
    return TestTokens.signed(claims, TestTokens.newKey(), "unknown");
  }

  /** What the gateway sends as its own identity: a Google ID token, not a Firebase user's. */
  private static String serviceAccountToken() {
    return TestTokens.signed(
        TestTokens.serviceAccountClaims(
            "api-gateway@" + RunningStack.PROJECT + ".iam.gserviceaccount.com", "http://127.0.0.1"),
        TestTokens.newKey(),
        "gateway");
  }
}
