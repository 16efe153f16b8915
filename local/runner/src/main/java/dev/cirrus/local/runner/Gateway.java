package dev.cirrus.local.runner;

import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.emulators.LoopbackServer;
import dev.cirrus.shared.ratelimit.RateLimitGate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The local stand-in for Google API Gateway: routes each request to the function its OpenAPI
 * operation names, passing method, path, query and body through, and does to the request what API
 * Gateway does to it:
 *
 * <ul>
 *   <li>for an operation the file secures, it checks the app's JWT ({@link GatewayJwtCheck}) and
 *       answers 401 itself, in ESPv2's JSON, when it fails; the function is never reached;
 *   <li>it calls every backend with its own ID token in {@code Authorization} (the backend
 *       authentication {@code x-google-backend} does), moves the app's header to {@code
 *       X-Forwarded-Authorization}, and passes the verified claims, base64url JSON, in {@code
 *       X-Apigateway-Api-Userinfo};
 *   <li>it answers unknown routes and methods itself.
 * </ul>
 *
 * Headers a client sends under those three names never reach a function as sent.
 */
public final class Gateway implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "te",
          "trailer",
          "proxy-authorization",
          "proxy-authenticate",
          "date");

  /** Headers only the gateway may set: what a client sends under these names is dropped. */
  private static final Set<String> GATEWAY_SET =
      Set.of("authorization", "x-forwarded-authorization", "x-apigateway-api-userinfo");

  private final OpenApiRoutes routes;
  private final Map<String, URI> backends;
  private final GatewayJwtCheck jwt;
  private final GatewayIdentity identity;
  private final EdgeThrottle edge;
  private final Optional<String> edgeKey;
  private final LoopbackServer server;
  private final BackendCall calls;

  public Gateway(OpenApiRoutes routes, Map<String, URI> backends, int port, String projectId)
      throws IOException {
    this(
        routes,
        backends,
        port,
        projectId,
        Clock.systemUTC(),
        new EdgeThrottle(EdgeThrottle.DEFAULT_PER_MINUTE, Clock.systemUTC()),
        Optional.empty(),
        Instances.UNSUPERVISED);
  }

  Gateway(
      OpenApiRoutes routes,
      Map<String, URI> backends,
      int port,
      String projectId,
      Clock clock,
      EdgeThrottle edge,
      Optional<String> edgeKey,
      Instances instances)
      throws IOException {
    this.routes = routes;
    this.calls = new BackendCall(instances);
    this.edge = edge;
    this.edgeKey = edgeKey;
    this.backends = Map.copyOf(backends);
    this.jwt =
        new GatewayJwtCheck(
            routes.provider().issuer(projectId), routes.provider().audiences(projectId), clock);
    this.identity = new GatewayIdentity(projectId, clock);
    this.server =
        new LoopbackServer(
            port,
            "/",
            32,
            this::route,
            (exchange, e) -> problem(exchange, 502, "bad-gateway", "the function did not answer"));
  }

  public int port() {
    return server.port();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The identity the gateway calls functions as. */
  GatewayIdentity identity() {
    return identity;
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Optional<Duration> throttled =
        edge.take(exchange.getRemoteAddress().getAddress().getHostAddress());
    if (throttled.isPresent()) {
      // Cloud Armor's per-address throttle (infra/edge.tf), before anything else is looked at.
      long seconds = Math.max(1, RateLimitGate.seconds(throttled.get()));
      exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
      problem(
          exchange, 429, "edge-throttled", "too many requests from this address; try again later");
      return;
    }
    if (!decodesAsUtf8(path)) {
      // Refused here, as Envoy's path normalisation does in front of API Gateway: the function's
      // server would refuse the request line too, but by closing the connection before it reads
      // the body, which races with the request's sending and now and then became a 502.
      problem(exchange, 400, "invalid-path", "the path is not valid percent-encoded UTF-8");
      return;
    }
    Optional<OpenApiRoutes.Operation> operation = routes.find(method, path);
    if (operation.isEmpty() && "OPTIONS".equals(method) && !routes.methodsFor(path).isEmpty()) {
      // CORS preflight: the function that owns the path answers it.
      operation = routes.find(routes.methodsFor(path).iterator().next(), path);
    }
    if (operation.isEmpty()) {
      Set<String> allowed = routes.methodsFor(path);
      if (allowed.isEmpty()) {
        problem(exchange, 404, "no-route", "no route for " + path);
      } else {
        exchange.getResponseHeaders().add("Allow", String.join(", ", allowed));
        problem(exchange, 405, "method-not-allowed", method + " is not allowed on " + path);
      }
      return;
    }
    URI backend = backends.get(operation.get().backend());
    if (backend == null) {
      problem(exchange, 502, "backend-missing", operation.get().backend() + " is not running");
      return;
    }
    Optional<String> authorization =
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
    byte[] claims = null;
    if (operation.get().secured() && !"OPTIONS".equals(method)) {
      try {
        claims = jwt.check(authorization);
      } catch (GatewayJwtCheck.Refused e) {
        unauthorized(exchange, e.getMessage());
        return;
      }
    }
    forward(exchange, backend, method, authorization, claims);
  }

  private void forward(
      HttpExchange exchange,
      URI backend,
      String method,
      Optional<String> authorization,
      byte[] claims)
      throws IOException {
    String raw = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    URI target = URI.create(backend + raw + (query == null ? "" : "?" + query));
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            // The function's server may refuse a request line (a malformed path) before reading
            // the body, and close: sending the body only after its 100 Continue lets us pass
            // that refusal on instead of a broken pipe.
            .expectContinue(body.length > 0);
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!HOP_BY_HOP.contains(lower) && !GATEWAY_SET.contains(lower)) {
                values.forEach(v -> request.header(name, v));
              }
            });
    request.header("Authorization", "Bearer " + identity.tokenFor(backend.toString()));
    authorization.ifPresent(original -> request.header("X-Forwarded-Authorization", original));
    if (claims != null) {
      request.header(
          "X-Apigateway-Api-Userinfo",
          Base64.getUrlEncoder().withoutPadding().encodeToString(claims));
    }
    request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
    // The load balancer's custom request header, which API Gateway passes on (infra/edge.tf).
    edgeKey.ifPresent(key -> request.header("X-Cirrus-Edge", key));
    if (exchange.getRequestHeaders().getFirst("traceparent") == null) {
      request.header("traceparent", newTraceparent());
    }
    HttpRequest built = request.build();
    long head = headSize(built);
    if (head > FUNCTION_HEAD_LIMIT) {
      // The function's server (the Functions Framework's Jetty) refuses a request whose line and
      // headers pass 8 KiB, and closes: on loopback that close can race our write and reach us as
      // a reset instead of its answer. Answer what it would, without the race.
      boolean uri = target.toString().length() > FUNCTION_HEAD_LIMIT / 2;
      problem(
          exchange,
          uri ? 414 : 431,
          uri ? "uri-too-long" : "headers-too-large",
          "the request line and headers take "
              + head
              + " bytes; the function takes at most "
              + FUNCTION_HEAD_LIMIT);
      return;
    }
    HttpResponse<byte[]> response;
    try {
      response = calls.send(built);
    } catch (BackendCall.NoInstance e) {
      // Cloud Run answers its own 429 here; the API says 503, what a client retries later.
      exchange.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfter().toSeconds()));
      problem(exchange, 503, "no-instance", e.getMessage() + "; try again shortly");
      return;
    }
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
              }
            });
    byte[] out = response.body();
    int status = response.statusCode();
    boolean empty = out.length == 0 || status == 204 || status == 304;
    exchange.sendResponseHeaders(status, empty ? -1 : out.length);
    if (!empty) {
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(out);
      }
    }
  }

  /** ESPv2's answer to a refused JWT: its JSON shape and its {@code WWW-Authenticate}. */
  private static void unauthorized(HttpExchange exchange, String message) throws IOException {
    byte[] bytes =
        ("{\"code\":401,\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .set(
            "WWW-Authenticate",
            "Bearer realm=\""
                + exchange.getRequestURI().getRawPath()
                + "\", error=\"invalid_token\"");
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(401, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Jetty's default request header size: the request line and every header, in bytes. */
  static final int FUNCTION_HEAD_LIMIT = 8192;

  /** The bytes of a request's line and headers as HTTP/1.1 sends them (an upper estimate). */
  static long headSize(HttpRequest request) {
    URI uri = request.uri();
    long size =
        request.method().length()
            + 1
            + uri.getRawPath().length()
            + (uri.getRawQuery() == null ? 0 : uri.getRawQuery().length() + 1)
            + " HTTP/1.1\r\n".length()
            + ("Host: " + uri.getAuthority() + "\r\n").length()
            // what the JDK client adds: Content-Length, Expect, User-Agent, Connection, Upgrade
            + 200;
    for (var header : request.headers().map().entrySet()) {
      for (String value : header.getValue()) {
        size += header.getKey().length() + 2 + value.length() + 2;
      }
    }
    return size + 2;
  }

  /** True when every percent-escape of {@code rawPath} decodes, and the bytes are UTF-8. */
  static boolean decodesAsUtf8(String rawPath) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == '%') {
        if (i + 2 >= rawPath.length()) {
          return false;
        }
        int hi = Character.digit(rawPath.charAt(i + 1), 16);
        int lo = Character.digit(rawPath.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return false;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String newTraceparent() {
    String hex = UUID.randomUUID().toString().replace("-", "");
    return "00-" + hex + "-" + hex.substring(0, 16) + "-01";
  }

  private static void problem(HttpExchange exchange, int status, String code, String detail)
      throws IOException {
    String body =
        String.format(
            "{\"type\":\"https://cirrus.dev/problems/%s\",\"title\":\"%s\",\"status\":%d,"
                + "\"detail\":\"%s\",\"code\":\"%s\",\"requestId\":\"%s\"}",
            code,
            title(status),
            status,
            detail.replace("\\", "\\\\").replace("\"", "\\\""),
            code,
            UUID.randomUUID());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 414 -> "URI Too Long";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> "Bad Gateway";
    };
  }

  @Override
  public void close() {
    server.close();
  }
}
