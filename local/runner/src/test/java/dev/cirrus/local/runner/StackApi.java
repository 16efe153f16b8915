package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.shared.testing.TestDigests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The public API of a running stack as an app calls it, through the gateway: users from the Auth
 * emulator, JSON calls, upload sessions, and waiting for processing to finish.
 */
final class StackApi {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PASSWORD = "secret123";

  private final LocalStack stack;
  private final AuthEmulatorClient auth;

  StackApi(LocalStack stack) {
    this.stack = stack;
    this.auth = new AuthEmulatorClient(stack.endpoints().authHost(), RunningStack.PROJECT);
  }

  AuthEmulatorClient auth() {
    return auth;
  }

  AuthEmulatorClient.User newUser() {
    return auth.signUp(UUID.randomUUID() + "@example.com", PASSWORD);
  }

  /** A new user holding {@code roles}, with a token that carries them. */
  AuthEmulatorClient.User newUserWithRoles(List<String> roles) {
    AuthEmulatorClient.User user = newUser();
    auth.setRoles(user.uid(), roles);
    return auth.signIn(user.email(), PASSWORD);
  }

  /** A fresh token for the same user. */
  AuthEmulatorClient.User signInAgain(AuthEmulatorClient.User user) {
    return auth.signIn(user.email(), PASSWORD);
  }

  HttpResponse<String> call(
      String method, String path, String token, String body, Map<String, String> headers)
      throws Exception {
    return callWithAuthorization(
        method, path, token == null ? null : "Bearer " + token, body, headers);
  }

  HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    return call(method, path, token, body, Map.of());
  }

  /** A call with {@code authorization} as the raw header value, or none when null. */
  HttpResponse<String> callWithAuthorization(
      String method, String path, String authorization, String body, Map<String, String> headers)
      throws Exception {
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (authorization != null) {
      all.put("Authorization", authorization);
    }
    return send(method, URI.create(stack.endpoints().apiUrl() + path), body, all);
  }

  /** A request with a JSON body (or none) to any of the stack's servers, answered within 30 s. */
  static HttpResponse<String> send(String method, URI uri, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  JsonNode createUpload(String token, String filename, String type, byte[] bytes) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "filename",
                filename,
                "contentType",
                type,
                "size",
                bytes.length,
                "md5",
                TestDigests.md5(bytes),
                "crc32c",
                TestDigests.crc32c(bytes)));
    HttpResponse<String> created = call("POST", "/v1/uploads", token, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created);
  }

  static HttpResponse<String> put(
      String url, byte[] body, String range, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (range != null) {
      request.header("Content-Range", range);
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode awaitStatus(String token, String uploadId, String... statuses) {
    return awaitStatus(token, uploadId, Duration.ofSeconds(45), statuses);
  }

  /** The upload once it has ended, however: ready, rejected, failed, expired or aborted. */
  JsonNode awaitFinal(String token, String uploadId, Duration within) {
    return awaitStatus(
        token, uploadId, within, "ready", "rejected", "failed", "expired", "aborted");
  }

  JsonNode awaitStatus(String token, String uploadId, Duration within, String... statuses) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = json(call("GET", "/v1/uploads/" + uploadId, token, null));
              return Arrays.asList(statuses).contains(last[0].path("status").asText());
            });
    return last[0];
  }

  /** Uploads a small text file for {@code user} and waits until it is a ready file. */
  String readyTextFile(AuthEmulatorClient.User user, String name) throws Exception {
    byte[] text = ("text of " + name).getBytes(StandardCharsets.UTF_8);
    JsonNode session = createUpload(user.idToken(), name, "text/plain", text);
    put(session.path("uploadUrl").asText(), text, null, Map.of());
    return awaitStatus(user.idToken(), session.path("uploadId").asText(), "ready")
        .path("fileId")
        .asText();
  }
}
