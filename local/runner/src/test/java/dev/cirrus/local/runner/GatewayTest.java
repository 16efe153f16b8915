package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.shared.testing.TestTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway against a real in-process backend, routing from the real OpenAPI file. */
class GatewayTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private static final String PROJECT = "demo-gateway-test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicReference<String> seen = new AtomicReference<>();
  private final AtomicReference<Headers> headers = new AtomicReference<>();
  private HttpServer backend;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          headers.set(exchange.getRequestHeaders());
          seen.set(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " trace="
                  + (exchange.getRequestHeaders().getFirst("traceparent") != null)
                  + " body="
                  + body);
          byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("ETag", "\"v1\"");
          exchange.sendResponseHeaders(201, out.length);
          try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
          }
        });
    backend.start();
    OpenApiRoutes routes =
        OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml"));
    gateway =
        new Gateway(
            routes,
            Map.of("users", URI.create("http://127.0.0.1:" + backend.getAddress().getPort())),
            0,
            PROJECT);
  }

  @AfterEach
  void stop() {
    gateway.close();
    backend.stop(0);
  }

  @Test
  void routedRequestKeepsMethodPathQueryHeadersAndBody() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me/devices?x=1"))
                .header("Authorization", "Bearer " + token(claims()))
                .header("Content-Type", "application/json")
                .header("X-Custom", "kept")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"ok\":true}");
    assertThat(response.headers().firstValue("ETag")).contains("\"v1\"");
    assertThat(seen.get()).isEqualTo("POST /v1/me/devices?x=1 trace=true body={\"a\":1}");
    assertThat(headers.get().getFirst("X-Custom")).isEqualTo("kept");
  }

  @Test
  void validTokenIsMovedAsideAndTheGatewayCallsWithItsOwnIdentity() throws Exception {
    Map<String, Object> claims = claims();
    String appToken = token(claims);
    HttpResponse<String> response = get("/v1/me", "Bearer " + appToken);
    assertThat(response.statusCode()).isEqualTo(201);

    Headers seenHeaders = headers.get();
    assertThat(seenHeaders.getFirst("X-Forwarded-Authorization")).isEqualTo("Bearer " + appToken);
    JsonNode userinfo =
        JSON.readTree(
            Base64.getUrlDecoder().decode(seenHeaders.getFirst("X-Apigateway-Api-Userinfo")));
    assertThat(userinfo).isEqualTo(JSON.readTree(JSON.writeValueAsString(claims)));

    String gatewayToken = seenHeaders.getFirst("Authorization").substring("Bearer ".length());
    String[] parts = gatewayToken.split("\\.");
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(gateway.identity().publicKey());
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    JsonNode gatewayClaims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(gatewayClaims.path("iss").asText()).isEqualTo("https://accounts.google.com");
    assertThat(gatewayClaims.path("aud").asText()).isEqualTo(backendUrl());
    assertThat(gatewayClaims.path("email").asText()).isEqualTo(gateway.identity().email());
    assertThat(JSON.readTree(Base64.getUrlDecoder().decode(parts[0])).path("alg").asText())
        .isEqualTo("RS256");
  }

  @Test
  void userinfoAndForwardedHeadersFromTheClientNeverReachTheFunction() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me"))
                .header("Authorization", "Bearer " + token(claims()))
                .header("X-Apigateway-Api-Userinfo", "forged")
                .header("X-Forwarded-Authorization", "Bearer forged")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(headers.get().get("X-Apigateway-Api-Userinfo")).hasSize(1).doesNotContain("forged");
    assertThat(headers.get().get("X-Forwarded-Authorization"))
        .hasSize(1)
        .doesNotContain("Bearer forged");
  }

  @Test
  void everyRefusedTokenIs401FromTheGatewayAndNeverReachesTheFunction() throws Exception {
    long now = Instant.now().getEpochSecond();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("no header", null);
    cases.put("not bearer", "Basic dXNlcjpwYXNz");
    cases.put("bearer of garbage", "Bearer abc");
    cases.put("expired", "Bearer " + token(with(claims(), "exp", now - 120, "iat", now - 3700)));
    cases.put("issued in the future", "Bearer " + token(with(claims(), "iat", now + 600)));
    cases.put("other project's audience", "Bearer " + token(with(claims(), "aud", "demo-other")));
    cases.put(
        "other project's issuer",
        "Bearer " + token(with(claims(), "iss", "https://securetoken.google.com/demo-other")));
    cases.put("no subject", "Bearer " + token(with(claims(), "sub", "")));
    cases.put("no expiry", "Bearer " + token(without(claims(), "exp")));
    cases.put("signed, unverifiable here", "Bearer " + signedWithUnknownKey(claims()));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      seen.set(null);
      HttpResponse<String> response = get("/v1/me", c.getValue());
      assertThat(response.statusCode()).as(c.getKey()).isEqualTo(401);
      assertThat(response.headers().firstValue("Content-Type"))
          .as(c.getKey())
          .contains("application/json");
      assertThat(JSON.readTree(response.body()).path("code").asInt()).as(c.getKey()).isEqualTo(401);
      assertThat(JSON.readTree(response.body()).path("message").asText())
          .as(c.getKey())
          .isNotBlank();
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .as(c.getKey())
          .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
      assertThat(seen.get()).as(c.getKey()).isNull();
    }
  }

  @Test
  void operationsWithoutSecurityPassWithoutAToken() throws Exception {
    HttpResponse<String> response = get("/v1/health", null);
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(headers.get().getFirst("X-Apigateway-Api-Userinfo")).isNull();
    assertThat(headers.get().getFirst("Authorization")).startsWith("Bearer ey");
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String backendUrl() {
    return "http://127.0.0.1:" + backend.getAddress().getPort();
  }

  private static Map<String, Object> claims() {
    return TestTokens.firebaseClaims(PROJECT, "user-1");
  }

  private static Map<String, Object> with(Map<String, Object> claims, Object... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      claims.put((String) pairs[i], pairs[i + 1]);
    }
    return claims;
  }

  private static Map<String, Object> without(Map<String, Object> claims, String name) {
    claims.remove(name);
    return claims;
  }

  /** The Auth emulator's kind of token: {@code alg: none}, empty signature. */
  private static String token(Map<String, Object> claims) {
    return TestTokens.unsigned(claims);
  }

  private static String signedWithUnknownKey(Map<String, Object> claims) {
    return TestTokens.signed(claims, TestTokens.newKey(), "x");
  }

  @Test
  void pathParametersMatchOneSegment() throws Exception {
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me/devices/abc"))
                .header("Authorization", "Bearer " + token(claims()))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(201);
    HttpResponse<String> deeper =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me/devices/a/b"))
                .header("Authorization", "Bearer " + token(claims()))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(deeper.statusCode()).isEqualTo(404);
  }

  @Test
  void undeclaredMethodIs405WithAllow() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me"))
                .header("Authorization", "Bearer " + token(claims()))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow"))
        .hasValueSatisfying(allow -> assertThat(allow).contains("GET", "DELETE"));
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(seen.get()).isNull();
  }

  @Test
  void backendThatIsDownGives502Problem() throws Exception {
    backend.stop(0);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me"))
                .header("Authorization", "Bearer " + token(claims()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("\"code\":\"bad-gateway\"");
  }

  @Test
  void aRequestWhileTheInstanceIsReplacedIsHeldUntilTheReplacementServes() throws Exception {
    int port = backend.getAddress().getPort();
    backend.stop(0); // the instance dies
    CountDownLatch replaced = new CountDownLatch(1);
    Instances replacing = instances(Duration.ofSeconds(10), replaced);
    try (Gateway held = supervisedGateway(port, replacing)) {
      CompletableFuture<HttpResponse<String>> response =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(held.url() + "/v1/me"))
                  .header("Authorization", "Bearer " + token(claims()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Thread.sleep(300);
      assertThat(response).as("held, not failed, while no instance is up").isNotDone();

      HttpServer replacement =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      replacement.createContext("/", exchange -> answer(exchange, 200, "{\"replaced\":true}"));
      replacement.start();
      replaced.countDown();
      try {
        HttpResponse<String> answered = response.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("{\"replaced\":true}");
      } finally {
        replacement.stop(0);
      }
    }
  }

  @Test
  void noInstanceWithinThePendingWindowIs503ProblemWithRetryAfter() throws Exception {
    int port = backend.getAddress().getPort();
    backend.stop(0);
    try (Gateway held =
        supervisedGateway(port, instances(Duration.ofMillis(400), new CountDownLatch(1)))) {
      long started = System.nanoTime();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(held.url() + "/v1/me"))
                  .header("Authorization", "Bearer " + token(claims()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("held for the pending window first")
          .isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("application/problem+json");
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      assertThat(Long.parseLong(response.headers().firstValue("Retry-After").get())).isPositive();
      JsonNode problem = JSON.readTree(response.body());
      assertThat(problem.path("code").asText()).isEqualTo("no-instance");
      assertThat(problem.path("title").asText()).isEqualTo("Service Unavailable");
    }
  }

  /** Instances being replaced: serving once {@code replaced} opens, pending for {@code window}. */
  private static Instances instances(Duration window, CountDownLatch replaced) {
    return new Instances() {
      @Override
      public boolean supervised() {
        return true;
      }

      @Override
      public boolean awaitServing(Duration within) throws InterruptedException {
        return replaced.await(within.toNanos(), TimeUnit.NANOSECONDS);
      }

      @Override
      public Duration pendingWindow() {
        return window;
      }
    };
  }

  private static Gateway supervisedGateway(int port, Instances instances) throws IOException {
    return new Gateway(
        OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml")),
        Map.of("users", URI.create("http://127.0.0.1:" + port)),
        0,
        PROJECT,
        Clock.systemUTC(),
        new EdgeThrottle(EdgeThrottle.DEFAULT_PER_MINUTE, Clock.systemUTC()),
        Optional.empty(),
        instances);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] out = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, out.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(out);
    }
  }

  @Test
  void everyOperationRoutesToAKnownFunction() throws Exception {
    OpenApiRoutes routes =
        OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml"));
    assertThat(routes.operations()).isNotEmpty();
    assertThat(FunctionCatalog.functions())
        .extracting(FunctionSpec::name)
        .containsAll(routes.backends());
  }

  @Test
  void onlyPathsThatDecodeAsUtf8AreForwarded() {
    assertThat(Gateway.decodesAsUtf8("/v1/files/abc")).isTrue();
    assertThat(Gateway.decodesAsUtf8("/v1/files/caf%C3%A9")).isTrue();
    assertThat(Gateway.decodesAsUtf8("/v1/files/%FF%FE")).isFalse();
    assertThat(Gateway.decodesAsUtf8("/v1/files/%C3")).isFalse();
    assertThat(Gateway.decodesAsUtf8("/v1/files/%zz")).isFalse();
    assertThat(Gateway.decodesAsUtf8("/v1/files/%4")).isFalse();
  }

  @Test
  void aPostWhoseConnectionIsDroppedBeforeAnyAnswerIsSentOnceMoreAsApiGatewaysProxyDoes()
      throws Exception {
    // A function server that drops the first connection unanswered, then answers.
    try (ServerSocket flaky = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread server =
          new Thread(
              () -> {
                for (int i = 0; i < 2; i++) {
                  try (Socket s = flaky.accept()) {
                    connections.incrementAndGet();
                    var in =
                        new BufferedReader(
                            new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = in.readLine()) != null && !line.isEmpty()) {
                      // the request's head
                    }
                    if (i == 0) {
                      s.setSoLinger(true, 0); // a reset, as a closing server sends
                      continue;
                    }
                    s.getOutputStream()
                        .write(
                            "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      server.start();
      try (Gateway retrying =
          new Gateway(
              OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml")),
              Map.of("users", URI.create("http://127.0.0.1:" + flaky.getLocalPort())),
              0,
              PROJECT)) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(retrying.url() + "/v1/me/devices"))
                    .header("Authorization", "Bearer " + token(claims()))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(connections).hasValue(2);
      }
      server.join(5_000);
    }
  }
}
