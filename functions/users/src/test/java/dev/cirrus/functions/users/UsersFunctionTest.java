package dev.cirrus.functions.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.FunctionProcess;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The users function as deployed: its own JVM, the Functions Framework invoker, configuration from
 * the environment, the Firestore and Auth emulators. The API as clients see it, including every
 * kind of bad input.
 */
@ExtendWith(EmulatorsExtension.class)
class UsersFunctionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static EmulatorProcess server;
  private static AuthEmulatorClient auth;

  @BeforeAll
  static void start(TestEmulators emulators) throws Exception {
    emulators.prestart(true, false, true);
    server =
        FunctionProcess.start(
            UsersFunction.class.getName(),
            System.getProperty("java.class.path"),
            Map.of(
                "GOOGLE_CLOUD_PROJECT",
                emulators.projectId(),
                "FIRESTORE_EMULATOR_HOST",
                emulators.firestoreHost(),
                "FIREBASE_AUTH_EMULATOR_HOST",
                emulators.authHost(),
                "CIRRUS_MAX_REQUEST_BYTES",
                "4096",
                "CIRRUS_CORS_ORIGINS",
                "https://app.example.com",
                "CIRRUS_MAX_DEVICES_PER_USER",
                "3"),
            Files.createTempDirectory("users-fn"),
            List.of("-Xmx128m"));
    auth = emulators.authClient();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String url() {
    return "http://" + server.host();
  }

  private static AuthEmulatorClient.User newUser() {
    return auth.signUp(UUID.randomUUID() + "@example.com", "secret123");
  }

  private static HttpResponse<String> call(
      String method, String path, String token, String body, String contentType) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    return call(method, path, token, body, body == null ? null : "application/json");
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String code)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = json(response);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("code").asText()).isEqualTo(code);
    assertThat(problem.path("requestId").asText()).isNotBlank();
    assertThat(problem.path("title").asText()).isNotBlank();
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    HttpResponse<String> response = call("GET", "/v1/health", null, null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).path("status").asText()).isEqualTo("ok");
  }

  @Test
  void meIsCreatedOnFirstCallWithRolesFromClaims() throws Exception {
    AuthEmulatorClient.User user = newUser();
    auth.setRoles(user.uid(), List.of("admin"));
    String token = auth.signIn(user.email(), "secret123").idToken();
    HttpResponse<String> response = call("GET", "/v1/me", token, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode me = json(response);
    assertThat(me.path("uid").asText()).isEqualTo(user.uid());
    assertThat(me.path("email").asText()).isEqualTo(user.email());
    assertThat(me.path("roles").get(0).asText()).isEqualTo("admin");
    assertThat(me.path("settings").path("mutedTypes").isArray()).isTrue();
    assertThat(me.path("quota").path("usedBytes").asLong()).isZero();
    assertThat(me.path("quota").path("limitBytes").asLong()).isPositive();
  }

  @Test
  void settingsRoundTrip() throws Exception {
    String token = newUser().idToken();
    HttpResponse<String> put =
        call("PUT", "/v1/me/settings", token, "{\"mutedTypes\":[\"file.ready\",\"file.deleted\"]}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(json(put).path("mutedTypes").toString())
        .isEqualTo("[\"file.deleted\",\"file.ready\"]");
    JsonNode me = json(call("GET", "/v1/me", token, null));
    assertThat(me.path("settings").path("mutedTypes").toString())
        .isEqualTo("[\"file.deleted\",\"file.ready\"]");
  }

  @Test
  void deviceRegistrationIsIdempotentAndDeletable() throws Exception {
    String token = newUser().idToken();
    String body = "{\"token\":\"fcm-token-1\",\"platform\":\"android\"}";
    HttpResponse<String> first = call("POST", "/v1/me/devices", token, body);
    HttpResponse<String> second = call("POST", "/v1/me/devices", token, body);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    String id = json(first).path("id").asText();
    assertThat(json(second).path("id").asText()).isEqualTo(id);
    assertThat(call("DELETE", "/v1/me/devices/" + id, token, null).statusCode()).isEqualTo(204);
    assertThat(call("DELETE", "/v1/me/devices/" + id, token, null).statusCode()).isEqualTo(204);
  }

  @Test
  void missingAndGarbledTokensAre401WithAChallenge() throws Exception {
    for (String token : new String[] {null, "garbage", "a.b.c"}) {
      HttpResponse<String> response = call("GET", "/v1/me", token, null);
      assertProblem(response, 401, token == null ? "missing-token" : "invalid-token");
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    HttpResponse<String> basic =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url() + "/v1/me"))
                .header("Authorization", "Basic dXNlcjpwYXNz")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertProblem(basic, 401, "missing-token");
  }

  @Test
  void malformedBodiesAre400NamingTheField() throws Exception {
    String token = newUser().idToken();
    assertProblem(call("PUT", "/v1/me/settings", token, "{not json"), 400, "malformed-body");
    HttpResponse<String> wrongType =
        call("PUT", "/v1/me/settings", token, "{\"mutedTypes\":\"file.ready\"}");
    assertProblem(wrongType, 400, "invalid-argument");
    assertThat(json(wrongType).path("field").asText()).isEqualTo("mutedTypes");
    HttpResponse<String> unknown =
        call("PUT", "/v1/me/settings", token, "{\"mutedTypes\":[],\"x\":1}");
    assertProblem(unknown, 400, "invalid-argument");
    assertThat(json(unknown).path("field").asText()).isEqualTo("x");
    HttpResponse<String> platform =
        call("POST", "/v1/me/devices", token, "{\"token\":\"t\",\"platform\":\"palm\"}");
    assertProblem(platform, 400, "invalid-argument");
    assertThat(json(platform).path("field").asText()).isEqualTo("platform");
    assertProblem(call("PUT", "/v1/me/settings", token, null), 400, "malformed-body");
    assertProblem(call("DELETE", "/v1/me/devices/not-an-id", token, null), 400, "invalid-argument");
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    String token = newUser().idToken();
    assertProblem(
        call("PUT", "/v1/me/settings", token, "mutedTypes=x", "application/x-www-form-urlencoded"),
        415,
        "unsupported-media-type");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    String token = newUser().idToken();
    String huge = "{\"mutedTypes\":[\"" + "a".repeat(10_000) + "\"]}";
    assertProblem(call("PUT", "/v1/me/settings", token, huge), 413, "payload-too-large");
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() throws Exception {
    String token = newUser().idToken();
    assertProblem(call("GET", "/v1/nope", token, null), 404, "no-route");
    HttpResponse<String> wrongMethod = call("PATCH", "/v1/me", token, null);
    assertProblem(wrongMethod, 405, "method-not-allowed");
    assertThat(wrongMethod.headers().firstValue("Allow"))
        .hasValueSatisfying(allow -> assertThat(allow).contains("GET", "DELETE"));
  }

  @Test
  void aPageFromAnOriginNotConfiguredGetsNoCorsAnswer() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url() + "/v1/me/settings"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "PUT")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void answersAreNeitherSniffedNorCached() throws Exception {
    HttpResponse<String> me = call("GET", "/v1/me", newUser().idToken(), null, null);
    HttpResponse<String> refused = call("GET", "/v1/me", null, null, null);
    for (HttpResponse<String> response : List.of(me, refused)) {
      assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(refused.statusCode()).isEqualTo(401);
  }

  @Test
  void corsPreflightIsAnsweredForBrowsers() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url() + "/v1/me/settings"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "PUT")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://app.example.com");
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("PUT");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValueSatisfying(v -> assertThat(v).contains("Authorization"));
  }

  @Test
  void behindTheGatewayTheForwardedTokenIsTheUsersOne() throws Exception {
    AuthEmulatorClient.User user = newUser();
    HttpResponse<String> response =
        getMe(
            Map.of(
                "Authorization", "Bearer " + serviceAccountToken(),
                "X-Forwarded-Authorization", "Bearer " + user.idToken()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("uid").asText()).isEqualTo(user.uid());
  }

  @Test
  void aServiceAccountTokenAloneIsNoUser() throws Exception {
    assertProblem(call("GET", "/v1/me", serviceAccountToken(), null), 401, "invalid-token");
  }

  @Test
  void aForwardedHeaderThatIsNotAUsersTokenIsRefusedEvenWithAGoodAuthorization() throws Exception {
    AuthEmulatorClient.User user = newUser();
    HttpResponse<String> response =
        getMe(
            Map.of(
                "Authorization", "Bearer " + user.idToken(),
                "X-Forwarded-Authorization", "Bearer " + serviceAccountToken()));
    assertProblem(response, 401, "invalid-token");
  }

  @Test
  void userinfoHeaderAloneAuthenticatesNobody() throws Exception {
    String claims =
        TestTokens.b64(JSON.writeValueAsBytes(Map.of("sub", "someone", "user_id", "someone")));
    assertProblem(getMe(Map.of("X-Apigateway-Api-Userinfo", claims)), 401, "missing-token");
  }

  @Test
  void queryWithAnEscapeThatIsNotUtf8IsA400() throws Exception {
    AuthEmulatorClient.User user = newUser();
    for (String query : new String[] {"x=%FF", "x=%C3%28", "%E2%82=1", "a=1&b=%ED%A0%80"}) {
      assertProblem(call("GET", "/v1/me?" + query, user.idToken(), null), 400, "malformed-query");
    }
    assertProblem(call("GET", "/v1/health?x=%FF", null, null), 400, "malformed-query");
  }

  private static HttpResponse<String> getMe(Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/v1/me"));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What a gateway's Google ID token looks like to the function (its signature is not ours). */
  private static String serviceAccountToken() {
    return TestTokens.signed(
        TestTokens.serviceAccountClaims("api-gateway@demo-x.iam.gserviceaccount.com", url()),
        TestTokens.newKey(),
        "gateway");
  }
}
