package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The front door through the gateway, on a stack of its own: App Check enforced for reads and only
 * monitored for writes (tokens minted by the stack's issuer, as an app's App Check SDK gets one),
 * and rate limits on the stack's redis-server with a small write budget, then that Redis frozen and
 * stopped under the API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontDoorFlowTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A user's write budget here: this many at once, then one a second. */
  private static final int WRITES = 5;

  /** The local Cloud Armor throttle here: far above what the other tests send. */
  private static final int EDGE_PER_MINUTE = 120;

  private static LocalStack stack;
  private static StackApi api;

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            ProjectLayout.locate(),
            RunningStack.PROJECT,
            LocalStack.Ports.free(),
            FunctionCatalog.functions().stream().filter(f -> f.name().equals("users")).toList(),
            Files.createTempDirectory("cirrus-front-door"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Map.of(
                "CIRRUS_APP_CHECK", "monitor",
                "CIRRUS_APP_CHECK_READS", "enforce",
                "CIRRUS_RATE_WRITES_PER_USER", WRITES + "/" + WRITES + "s",
                "CIRRUS_RATE_WRITES_PER_ADDRESS", "1000/10s",
                "CIRRUS_REDIS_TIMEOUT_MS", "300",
                "CIRRUS_EDGE_REQUESTS_PER_MINUTE", Integer.toString(EDGE_PER_MINUTE)),
            RunningStack.RETRY,
            StackData.Seed.EMPTY);
    api = new StackApi(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static String mint(String appId) throws Exception {
    HttpResponse<String> minted =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(stack.endpoints().appCheckMintUrl() + "?appId=" + appId))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(minted.statusCode()).isEqualTo(200);
    return StackApi.JSON.readTree(minted.body()).path("token").asText();
  }

  @Test
  @Order(1)
  void enforcedRoutesRefuseAMissingOrForgedTokenAndServeAMintedOne() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    String minted = mint("1:123456789012:web:cirrus");
    String[] parts = minted.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20) + "AAAA";

    for (Map<String, String> headers :
        List.of(Map.<String, String>of(), Map.of("X-Firebase-AppCheck", forged))) {
      HttpResponse<String> refused = api.call("GET", "/v1/me", user.idToken(), null, headers);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
      JsonNode problem = StackApi.JSON.readTree(refused.body());
      assertThat(problem.path("code").asText()).isEqualTo("app-check-failed");
    }

    HttpResponse<String> served =
        api.call("GET", "/v1/me", user.idToken(), null, Map.of("X-Firebase-AppCheck", minted));
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(StackApi.JSON.readTree(served.body()).path("uid").asText()).isEqualTo(user.uid());
  }

  @Test
  @Order(1)
  void monitoredRoutesServeARequestWithoutAToken() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    HttpResponse<String> saved =
        api.call("PUT", "/v1/me/settings", user.idToken(), "{\"mutedTypes\":[]}");
    assertThat(saved.statusCode()).isEqualTo(200);
  }

  @Test
  @Order(1)
  void aValidAppCheckTokenDoesNotReplaceTheUsersOwn() throws Exception {
    HttpResponse<String> anonymous =
        api.call("GET", "/v1/me", null, null, Map.of("X-Firebase-AppCheck", mint("app")));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(StackApi.JSON.readTree(anonymous.body()).path("code").asText())
        .isNotEqualTo("app-check-failed");
  }

  private static HttpResponse<String> write(AuthEmulatorClient.User user) throws Exception {
    return api.call("PUT", "/v1/me/settings", user.idToken(), "{\"mutedTypes\":[]}");
  }

  @Test
  @Order(2)
  void aBurstFromOneUserIsLimitedWhileAnotherUserIsServedAndTheLimitResets() throws Exception {
    AuthEmulatorClient.User alice = api.newUser();
    AuthEmulatorClient.User bob = api.newUser();
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> limited = null;
    for (int i = 0; i < WRITES + 3; i++) {
      HttpResponse<String> response = write(alice);
      statuses.add(response.statusCode());
      if (response.statusCode() == 429) {
        limited = response;
      }
    }
    assertThat(statuses.subList(0, WRITES)).containsOnly(200);
    assertThat(statuses.subList(WRITES, statuses.size())).contains(429);
    assertThat(limited).isNotNull();
    assertThat(limited.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(StackApi.JSON.readTree(limited.body()).path("code").asText())
        .isEqualTo("rate-limited");
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 2L);
    assertThat(limited.headers().firstValue("RateLimit-Policy"))
        .contains("\"writes\";q=" + WRITES + ";w=" + WRITES);
    assertThat(limited.headers().firstValue("RateLimit"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("\"writes\";r=0;t="));

    HttpResponse<String> other = write(bob);
    assertThat(other.statusCode()).as("the same address, another user").isEqualTo(200);
    assertThat(other.headers().firstValue("RateLimit"))
        .hasValueSatisfying(v -> assertThat(v).contains(";r=" + (WRITES - 1) + ";"));

    Thread.sleep(retryAfter * 1000 + 200);
    assertThat(write(alice).statusCode()).as("after Retry-After").isEqualTo(200);
  }

  private static void signal(String signal) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(stack.redisPid()))
            .inheritIO()
            .start();
    assertThat(kill.waitFor()).isZero();
  }

  @Test
  @Order(3)
  void aFrozenRedisChangesNoAnswerButTheLimitsAndTheyComeBackWithIt() throws Exception {
    AuthEmulatorClient.User carol = api.newUser();
    signal("STOP");
    try {
      for (int i = 0; i < WRITES * 2; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> response = write(carol);
        assertThat(response.statusCode()).as("write %d with Redis frozen", i).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      }
    } finally {
      signal("CONT");
    }
    // The instance leaves a failed Redis alone for a few seconds, then counts again.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> write(carol).headers().firstValue("RateLimit").isPresent());
  }

  @Test
  @Order(4)
  void aStoppedRedisChangesNoAnswerButTheLimits() throws Exception {
    AuthEmulatorClient.User dave = api.newUser();
    signal("KILL");
    for (int i = 0; i < WRITES * 2; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> response = write(dave);
      assertThat(response.statusCode()).as("write %d with Redis gone", i).isEqualTo(200);
      assertThat(response.headers().firstValue("RateLimit")).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  @Order(5)
  void aFloodFromOneAddressIsThrottledAtTheEdgeBeforeItReachesAFunction() throws Exception {
    int throttled = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < EDGE_PER_MINUTE + 20; i++) {
      HttpResponse<String> response = api.call("GET", "/v1/health", null, null);
      if (response.statusCode() == 429) {
        throttled++;
        refused = response;
      }
    }
    assertThat(throttled).isPositive();
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(StackApi.json(refused).path("code").asText()).isEqualTo("edge-throttled");
  }
}
