package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end, as a developer runs it: the whole local stack on free ports, a user signed up through
 * the Auth emulator's REST API, and {@code /v1/me} called through the gateway.
 */
@ExtendWith(RunningStack.class)
class LocalStackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static RunningStack.Handle running;
  private static LocalStack stack;
  private static Path state;

  @BeforeAll
  static void start(RunningStack.Handle handle) {
    running = handle;
    stack = handle.stack();
    state = handle.state();
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.endpoints().apiUrl() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signedUpUserReadsTheirProfileThroughTheGateway() throws Exception {
    AuthEmulatorClient auth =
        new AuthEmulatorClient(stack.endpoints().authHost(), stack.endpoints().projectId());
    String email = UUID.randomUUID() + "@example.com";
    AuthEmulatorClient.User user = auth.signUp(email, "secret123");

    HttpResponse<String> response = get("/v1/me", user.idToken());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode me = JSON.readTree(response.body());
    assertThat(me.path("uid").asText()).isEqualTo(user.uid());
    assertThat(me.path("email").asText()).isEqualTo(email);
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void gatewayRefusesMissingTokensAndAnswersUnknownRoutesItself() throws Exception {
    HttpResponse<String> noToken = get("/v1/me", null);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(JSON.readTree(noToken.body()).path("message").asText()).isEqualTo("Jwt is missing");
    HttpResponse<String> unknown = get("/v1/unknown", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("no-route");
    assertThat(get("/v1/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void endpointsAreWrittenForToolsAndProgressWasShown() throws Exception {
    Path file = state.resolve("endpoints.env");
    stack.endpoints().write(file);
    String text = Files.readString(file);
    for (String key :
        new String[] {
          "CIRRUS_API_URL=",
          "FIRESTORE_EMULATOR_HOST=",
          "PUBSUB_EMULATOR_HOST=",
          "FIREBASE_AUTH_EMULATOR_HOST=",
          "CIRRUS_STATUS_URL=http://127.0.0.1:",
          "GOOGLE_CLOUD_PROJECT=demo-cirrus-e2e"
        }) {
      assertThat(text).contains(key);
    }
    assertThat(running.progressText())
        .contains("firestore")
        .contains("pubsub")
        .contains("auth")
        .contains("functions")
        .contains("storage")
        .contains("gateway");
  }

  @Test
  void aFinishedUploadIsAnnouncedOnUploadFinalized() throws Exception {
    String pubsub = stack.endpoints().pubsubHost();
    new dev.cirrus.local.emulators.PubSubAdmin(pubsub, "demo-cirrus-e2e")
        .createPullSubscription("finalized-watch", "upload-finalized");
    try (com.google.cloud.storage.Storage storage =
        com.google.cloud.storage.StorageOptions.newBuilder()
            .setHost(stack.endpoints().storageHost())
            .setProjectId("demo-cirrus-e2e")
            .setCredentials(com.google.cloud.NoCredentials.getInstance())
            .build()
            .getService()) {
      storage.create(
          com.google.cloud.storage.BlobInfo.newBuilder("demo-cirrus-e2e-uploads", "uploads/u1/up1")
              .build(),
          new byte[] {1, 2, 3});
    }
    String[] body = new String[1];
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(
            () -> {
              body[0] =
                  HTTP.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      "http://"
                                          + pubsub
                                          + "/v1/projects/demo-cirrus-e2e/subscriptions/finalized-watch:pull"))
                              .header("Content-Type", "application/json")
                              .POST(
                                  HttpRequest.BodyPublishers.ofString(
                                      "{\"maxMessages\":1,\"returnImmediately\":true}"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body();
              return body[0].contains("receivedMessages");
            });
    JsonNode message = JSON.readTree(body[0]).path("receivedMessages").get(0).path("message");
    assertThat(message.path("attributes").path("eventType").asText()).isEqualTo("OBJECT_FINALIZE");
    assertThat(message.path("attributes").path("objectId").asText()).isEqualTo("uploads/u1/up1");
  }

  @Test
  void storageEmulatorServesTheBucketsFunctionsUse() throws Exception {
    for (String bucket : new String[] {"demo-cirrus-e2e-uploads", "demo-cirrus-e2e-files"}) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(stack.endpoints().storageHost() + "/storage/v1/b/" + bucket))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(response.body()).path("name").asText()).isEqualTo(bucket);
    }
  }

  /** 127.0.0.1 as /proc/net/tcp writes it, and as tcp6 writes it IPv4-mapped; ::1. */
  private static final Set<String> LOOPBACK =
      Set.of("0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000");

  @Test
  void functionServersListenOnLoopbackOnly() throws Exception {
    // They accept the Auth emulator's unsigned tokens: reachable from the network, anyone on it
    // could act as any user. The kernel's socket tables say where each port listens.
    List<String> listeners = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A")) { // LISTEN
          String[] local = f[1].split(":");
          listeners.add(Integer.parseInt(local[1], 16) + "@" + local[0]);
        }
      }
    }
    assertThat(stack.functionUrls()).isNotEmpty();
    for (URI url : stack.functionUrls().values()) {
      List<String> onPort =
          listeners.stream().filter(l -> l.startsWith(url.getPort() + "@")).toList();
      assertThat(onPort)
          .as(url.toString())
          .isNotEmpty()
          .allSatisfy(l -> assertThat(LOOPBACK).contains(l.substring(l.indexOf('@') + 1)));
    }
  }

  @Test
  void firestoreEnforcesTheRulesInfraDeploys() throws Exception {
    AuthEmulatorClient auth =
        new AuthEmulatorClient(stack.endpoints().authHost(), stack.endpoints().projectId());
    AuthEmulatorClient.User user = auth.signUp(UUID.randomUUID() + "@example.com", "secret123");
    AuthEmulatorClient.User other = auth.signUp(UUID.randomUUID() + "@example.com", "secret123");
    assertThat(get("/v1/me", user.idToken()).statusCode()).isEqualTo(200); // creates users/{uid}
    URI doc =
        URI.create(
            "http://"
                + stack.endpoints().firestoreHost()
                + "/v1/projects/"
                + stack.endpoints().projectId()
                + "/databases/(default)/documents/users/"
                + user.uid());
    HttpRequest.Builder read = HttpRequest.newBuilder(doc);
    assertThat(HTTP.send(read.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("anonymous")
        .isEqualTo(403);
    HttpRequest.Builder others =
        HttpRequest.newBuilder(doc).header("Authorization", "Bearer " + other.idToken());
    assertThat(HTTP.send(others.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("another user")
        .isEqualTo(403);
    HttpRequest.Builder own =
        HttpRequest.newBuilder(doc).header("Authorization", "Bearer " + user.idToken());
    HttpResponse<String> mine = HTTP.send(own.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
  }
}
