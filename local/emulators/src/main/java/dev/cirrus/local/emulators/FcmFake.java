package dev.cirrus.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FCM has no emulator, so this stands in for its HTTP v1 endpoint ({@code POST
 * /v1/projects/{project}/messages:send}) and the Admin SDK is pointed at it: the SDK builds and
 * sends each message as in production and parses what comes back. It records every message it
 * accepts, and answers with FCM's own error bodies when told to: a token can be unregistered or
 * invalid for good, or fail the next few sends with a transient error.
 *
 * <p>Besides FCM's endpoint it serves {@code GET /_fake/messages} (the newest accepted messages,
 * oldest first; {@code ?count} for how many were accepted in all) and {@code POST /_fake/faults}
 * ({@code {"token", "error", "times"}}) for the local stack.
 */
public final class FcmFake implements AutoCloseable {
  private static final Pattern SEND = Pattern.compile("/v1/projects/([a-z0-9-]+)/messages:send");

  /**
   * FCM's payload limit: "up to 4KB" of notification and data together (Firebase Admin reference,
   * DataMessagePayload and NotificationMessagePayload; FCM's "About FCM messages": 4096 bytes).
   */
  static final int MAX_PAYLOAD_BYTES = 4096;

  /**
   * Registration tokens are URL-safe base64 with a colon between the instance id and the rest;
   * anything else was never issued by FCM, which answers INVALID_ARGUMENT on message.token.
   */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_:-]{1,4096}");

  /** A message FCM accepted. */
  public record Sent(String project, String name, JsonNode message, Instant at) {
    public String token() {
      return message.path("token").asText();
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final LoopbackServer server;
  private final Clock clock;
  private final Consumer<String> log;

  /**
   * The newest accepted messages, whole; older ones are only counted. The fake lives in the local
   * stack's small heap, and a request to 10,000 users makes 20,000 pushes.
   */
  static final int KEPT = 2_000;

  private final Deque<Sent> sent = new ArrayDeque<>();
  private final Map<String, Integer> acceptedPerToken = new HashMap<>();
  private long accepted;
  private final Map<String, FcmError> gone = new ConcurrentHashMap<>();
  private final Map<String, Deque<FcmError>> failNext = new HashMap<>();
  private final AtomicLong ids = new AtomicLong(1_000_000);
  private Duration outage = Duration.ZERO;
  private Instant outageStart;
  private long refusedInOutage;

  /**
   * @param port 0 for any free port
   * @param log where each accepted push is described, one line each
   */
  public FcmFake(int port, Clock clock, Consumer<String> log) throws IOException {
    this.clock = clock;
    this.log = log;
    this.server =
        new LoopbackServer(
            port,
            "/",
            8,
            this::handle,
            (exchange, e) -> respond(exchange, 500, error(500, "INTERNAL", e.toString(), null)));
  }

  /** {@code host:port}, the value of {@code FCM_EMULATOR_HOST}. */
  public String host() {
    return "127.0.0.1:" + server.port();
  }

  /** From now on every send to {@code token} fails with {@code error}. */
  public void breakToken(String token, FcmError error) {
    gone.put(token, error);
  }

  /**
   * An outage: from the next send on, for {@code length}, every send fails with UNAVAILABLE (503),
   * as FCM answers in one; then it works again. It starts at a send, so it meets one however late
   * the sends come.
   */
  public synchronized void unavailableFor(Duration length) {
    outage = length;
    outageStart = null;
  }

  /** The next {@code times} sends to {@code token} fail with {@code error}, then it works. */
  public synchronized void failNext(String token, FcmError error, int times) {
    Deque<FcmError> queue = failNext.computeIfAbsent(token, t -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(error);
    }
  }

  /** The newest {@value #KEPT} accepted messages, oldest first. */
  public synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** The accepted messages to {@code token}, of the newest {@value #KEPT}. */
  public synchronized List<Sent> sentTo(String token) {
    return sent.stream().filter(s -> s.token().equals(token)).toList();
  }

  /** How many sends an outage ({@link #unavailableFor}) refused. */
  public synchronized long refusedInOutage() {
    return refusedInOutage;
  }

  /** How many messages were accepted in all. */
  public synchronized long accepted() {
    return accepted;
  }

  /** How many messages to {@code token} were accepted in all. */
  public synchronized int acceptedFor(String token) {
    return acceptedPerToken.getOrDefault(token, 0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Matcher send = SEND.matcher(path);
    if (send.matches() && method.equals("POST")) {
      send(exchange, send.group(1));
    } else if (path.equals("/_fake/messages") && method.equals("GET")) {
      if ("count".equals(exchange.getRequestURI().getQuery())) {
        respond(exchange, 200, json.writeValueAsBytes(Map.of("count", accepted())));
      } else {
        respond(exchange, 200, json.writeValueAsBytes(Map.of("messages", listing())));
      }
    } else if (path.equals("/_fake/faults") && method.equals("POST")) {
      fault(exchange);
    } else {
      respond(exchange, 404, error(404, "NOT_FOUND", "Requested entity was not found.", null));
    }
  }

  private void send(HttpExchange exchange, String project) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      respond(
          exchange,
          401,
          error(
              401,
              "UNAUTHENTICATED",
              "Request is missing required authentication credential.",
              null));
      return;
    }
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      body = json.readTree(in);
    } catch (IOException e) {
      respond(
          exchange, 400, error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.", null));
      return;
    }
    JsonNode message = body == null ? null : body.get("message");
    String token = message == null ? "" : message.path("token").asText("");
    if (message == null || token.isEmpty()) {
      respond(
          exchange,
          400,
          error(400, "INVALID_ARGUMENT", "Recipient of the message is not set.", null));
      return;
    }
    Optional<String> refused = refusal(message);
    if (refused.isPresent()) {
      respond(exchange, 400, error(400, "INVALID_ARGUMENT", refused.get(), null));
      return;
    }
    if (!TOKEN.matcher(token).matches()) {
      FcmError invalid = FcmError.INVALID_TOKEN;
      respond(
          exchange,
          invalid.status,
          error(invalid.status, invalid.grpcStatus, invalid.message, invalid));
      return;
    }
    FcmError failure = failureFor(token);
    if (failure != null) {
      respond(
          exchange,
          failure.status,
          error(failure.status, failure.grpcStatus, failure.message, failure));
      return;
    }
    String name = "projects/" + project + "/messages/" + ids.incrementAndGet();
    if (!body.path("validate_only").asBoolean(false)) {
      synchronized (this) {
        sent.addLast(new Sent(project, name, message, clock.instant()));
        if (sent.size() > KEPT) {
          sent.removeFirst();
        }
        accepted++;
        acceptedPerToken.merge(token, 1, Integer::sum);
      }
      log.accept(
          "fcm: push to "
              + token.substring(0, Math.min(12, token.length()))
              + "… \""
              + message.path("notification").path("title").asText()
              + "\" ("
              + message.path("data").path("notificationType").asText("")
              + ")");
    }
    respond(exchange, 200, json.writeValueAsBytes(Map.of("name", name)));
  }

  /**
   * What FCM refuses in a message it can parse: a data key it reserves ({@code from}, {@code
   * notification}, {@code message_type}, {@code google.*}, {@code gcm.*}), a value that is not a
   * string, or notification and data over {@value #MAX_PAYLOAD_BYTES} bytes together.
   */
  static Optional<String> refusal(JsonNode message) {
    long bytes = 0;
    JsonNode notification = message.path("notification");
    bytes +=
        utf8(notification.path("title").asText("")) + utf8(notification.path("body").asText(""));
    for (Map.Entry<String, JsonNode> entry : message.path("data").properties()) {
      String key = entry.getKey();
      if (RESERVED_KEYS.contains(key) || key.startsWith("google.") || key.startsWith("gcm.")) {
        return Optional.of("Invalid data payload key: " + key);
      }
      if (!entry.getValue().isTextual()) {
        return Optional.of("Invalid value at 'message.data[" + key + "]': not a string");
      }
      bytes += utf8(key) + utf8(entry.getValue().asText());
    }
    if (bytes > MAX_PAYLOAD_BYTES) {
      return Optional.of(
          "Message is too big: "
              + bytes
              + " bytes of notification and data, at most "
              + MAX_PAYLOAD_BYTES);
    }
    return Optional.empty();
  }

  private static final Set<String> RESERVED_KEYS = Set.of("from", "notification", "message_type");

  private static long utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private synchronized FcmError failureFor(String token) {
    Instant now = clock.instant();
    if (outageStart == null && !outage.isZero()) {
      outageStart = now;
    }
    if (outageStart != null && now.isBefore(outageStart.plus(outage))) {
      refusedInOutage++;
      return FcmError.UNAVAILABLE;
    }
    FcmError permanent = gone.get(token);
    if (permanent != null) {
      return permanent;
    }
    Deque<FcmError> queue = failNext.get(token);
    return queue == null ? null : queue.poll();
  }

  private void fault(HttpExchange exchange) throws IOException {
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      body = json.readTree(in);
    }
    try {
      String token = body.path("token").asText("");
      FcmError error = FcmError.valueOf(body.path("error").asText(""));
      int times = body.path("times").asInt(0);
      if (token.isEmpty()) {
        throw new IllegalArgumentException("token is required");
      }
      if (times <= 0) {
        breakToken(token, error);
      } else {
        failNext(token, error, times);
      }
      respond(exchange, 204, new byte[0]);
    } catch (IllegalArgumentException e) {
      respond(
          exchange,
          400,
          error(
              400,
              "INVALID_ARGUMENT",
              "want {token, error: one of " + Set.of(FcmError.values()) + ", times}",
              null));
    }
  }

  private synchronized List<Map<String, Object>> listing() {
    return sent.stream()
        .map(
            s ->
                Map.<String, Object>of(
                    "name", s.name(), "at", s.at().toString(), "message", s.message()))
        .toList();
  }

  /** FCM's error body: google.rpc.Status with the FcmError detail the Admin SDK reads. */
  private byte[] error(int code, String status, String message, FcmError fcm) throws IOException {
    ObjectNode root = json.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", message);
    error.put("status", status);
    if (fcm != null) {
      ArrayNode details = error.putArray("details");
      ObjectNode detail = details.addObject();
      detail.put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError");
      detail.put("errorCode", fcm.errorCode());
      if (fcm == FcmError.INVALID_TOKEN) {
        ObjectNode badRequest = details.addObject();
        badRequest.put("@type", "type.googleapis.com/google.rpc.BadRequest");
        ObjectNode violation = badRequest.putArray("fieldViolations").addObject();
        violation.put("field", "message.token");
        violation.put("description", "Invalid registration token");
      }
    }
    return json.writeValueAsBytes(root);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (body.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
