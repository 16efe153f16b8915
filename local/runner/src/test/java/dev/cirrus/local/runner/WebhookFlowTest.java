package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks through the whole stack, to a receiver on loopback (allowed in the demo project only):
 * an upload's file.ready arrives signed and verifies with npm standardwebhooks, a receiver that
 * fails twice gets the third attempt with the same webhook-id, and URLs naming private addresses
 * are refused at registration.
 */
@ExtendWith(RunningStack.class)
class WebhookFlowTest {
  /** One request the receiver got. */
  record Received(String path, Map<String, String> headers, String body, Instant at) {}

  private static StackApi api;
  private static HttpServer receiver;
  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  @BeforeAll
  static void connect(RunningStack.Handle handle) throws IOException {
    api = new StackApi(handle.stack());
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/", WebhookFlowTest::receive);
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.stop(0);
  }

  private static void receive(HttpExchange ex) throws IOException {
    Map<String, String> headers = new ConcurrentHashMap<>();
    for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
      String value = ex.getRequestHeaders().getFirst(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = ex.getRequestURI().getPath();
    received.add(new Received(path, headers, body, Instant.now()));
    AtomicInteger left = failuresLeft.get(path);
    int status = left != null && left.getAndDecrement() > 0 ? 503 : 204;
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private static JsonNode register(AuthEmulatorClient.User user, String path) throws Exception {
    HttpResponse<String> created =
        api.call(
            "POST",
            "/v1/webhooks",
            user.idToken(),
            "{\"url\":\"" + url(path) + "\",\"events\":[\"file.ready\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return StackApi.json(created);
  }

  private static List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Runs web/tests/verify-webhook.mjs: npm standardwebhooks, not our code, checks the delivery. */
  private static String verifiedByStandardWebhooks(String secret, Received r) throws Exception {
    ObjectNode input = StackApi.JSON.createObjectNode();
    input.put("secret", secret);
    input.set("headers", StackApi.JSON.valueToTree(r.headers()));
    input.put("body", r.body());
    Path web = ProjectLayout.locate().root().resolve("web");
    Process node =
        new ProcessBuilder("node", "tests/verify-webhook.mjs")
            .directory(web.toFile())
            .redirectErrorStream(true)
            .start();
    node.getOutputStream().write(StackApi.JSON.writeValueAsBytes(input));
    node.getOutputStream().close();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(out).isZero();
    return out.trim();
  }

  @Test
  void anUploadsFileReadyArrivesSignedAndAnIndependentVerifierAcceptsIt() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    JsonNode endpoint = register(user, "/ready-" + user.uid());
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String fileId = api.readyTextFile(user, "hooked-" + i + ".txt");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> at("/ready-" + user.uid()).stream().anyMatch(r -> r.body().contains(fileId)));
      Received r =
          at("/ready-" + user.uid()).stream()
              .filter(x -> x.body().contains(fileId))
              .findFirst()
              .get();
      JsonNode body = StackApi.JSON.readTree(r.body());
      assertThat(body.path("type").asText()).isEqualTo("file.ready");
      assertThat(body.path("data").path("ownerUid").asText()).isEqualTo(user.uid());
      Instant occurred = Instant.parse(body.path("timestamp").asText());
      latencies.add(Duration.between(occurred, r.at()).toMillis());
      if (i == 0) {
        assertThat(verifiedByStandardWebhooks(endpoint.path("secret").asText(), r))
            .isEqualTo("verified file.ready");
      }
    }
    System.out.println("webhook latencies in upload order (ms): " + latencies);
    latencies.sort(Long::compare);
    System.out.println(
        "webhook latency, file.ready to receiver: p50 "
            + latencies.get(latencies.size() / 2)
            + " ms, p99 "
            + latencies.get(latencies.size() - 1)
            + " ms over "
            + latencies.size());
    HttpResponse<String> deliveries =
        api.call(
            "GET",
            "/v1/webhooks/" + endpoint.path("id").asText() + "/deliveries?pageSize=50",
            user.idToken(),
            null);
    assertThat(deliveries.statusCode()).isEqualTo(200);
    assertThat(StackApi.json(deliveries).path("deliveries")).hasSize(20);
  }

  @Test
  void aReceiverThatFailsTwiceGetsTheThirdAttemptWithTheSameWebhookId() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    String path = "/flaky-" + user.uid();
    failuresLeft.put(path, new AtomicInteger(2));
    JsonNode endpoint = register(user, path);
    api.readyTextFile(user, "flaky.txt");
    await().atMost(Duration.ofSeconds(60)).until(() -> at(path).size() >= 3);
    List<Received> attempts = at(path);
    assertThat(attempts)
        .extracting(r -> r.headers().get("webhook-id"))
        .containsOnly(attempts.get(0).headers().get("webhook-id"));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              JsonNode delivery =
                  StackApi.json(
                          api.call(
                              "GET",
                              "/v1/webhooks/" + endpoint.path("id").asText() + "/deliveries",
                              user.idToken(),
                              null))
                      .path("deliveries")
                      .get(0);
              assertThat(delivery.path("status").asText()).isEqualTo("delivered");
              assertThat(delivery.path("attempts").findValuesAsText("responseCode"))
                  .containsExactly("503", "503", "204");
            });
    Thread.sleep(3000);
    assertThat(at(path)).as("nothing more after the success").hasSize(3);
  }

  @Test
  void urlsNamingPrivateAddressesAreRefusedAtRegistration() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    for (String url :
        List.of(
            "http://169.254.169.254/computeMetadata/v1/",
            "http://[::ffff:10.0.0.1]/hook",
            "http://192.168.1.1/hook",
            "ftp://hooks.example.com/")) {
      HttpResponse<String> refused =
          api.call(
              "POST",
              "/v1/webhooks",
              user.idToken(),
              "{\"url\":\"" + url + "\",\"events\":[\"file.ready\"]}");
      assertThat(refused.statusCode()).as(url + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
      assertThat(StackApi.json(refused).path("field").asText()).isEqualTo("url");
    }
  }
}
