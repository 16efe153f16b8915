package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.emulators.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Does locally what Eventarc does in production: takes a Pub/Sub push (the emulator's wrapped JSON)
 * and delivers it to the function as a binary-mode CloudEvent of type {@code
 * google.cloud.pubsub.topic.v1.messagePublished}. The function's status is passed back, so a
 * non-2xx answer makes the emulator redeliver, as Pub/Sub would. The emulator's push names no topic
 * (functions-framework-java #375), so the subscription's endpoint carries it: {@code
 * /push/{function}?topic={topic}}.
 */
public final class PushBridge implements AutoCloseable {
  static final String MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

  private final String projectId;
  private final Map<String, URI> functions;
  private final LoopbackServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param functions event function name to its invoker's base URL
   */
  public PushBridge(String projectId, Map<String, URI> functions, int port) throws IOException {
    this.projectId = projectId;
    this.functions = Map.copyOf(functions);
    this.server =
        new LoopbackServer(
            port,
            "/push/",
            16,
            this::bridge,
            (exchange, e) -> respond(exchange, 502, "delivery failed: " + e));
  }

  public int port() {
    return server.port();
  }

  /** The push endpoint a subscription for {@code function} on {@code topic} uses. */
  public String endpoint(String function, String topic) {
    return "http://127.0.0.1:" + port() + "/push/" + function + "?topic=" + topic;
  }

  private void bridge(HttpExchange exchange) throws IOException {
    String function = exchange.getRequestURI().getPath().substring("/push/".length());
    String topic = queryValue(exchange.getRequestURI().getRawQuery(), "topic");
    URI target = functions.get(function);
    if (target == null || topic == null || !"POST".equals(exchange.getRequestMethod())) {
      respond(exchange, 404, "unknown push target");
      return;
    }
    JsonNode push;
    try (InputStream in = exchange.getRequestBody()) {
      push = json.readTree(in);
    }
    JsonNode message = push == null ? null : push.get("message");
    if (message == null || !message.isObject()) {
      // Acknowledge: a body that is not a push will never become one.
      respond(exchange, 204, "");
      return;
    }
    int status = deliver(target, topic, push, message);
    respond(exchange, status, "");
  }

  private int deliver(URI target, String topic, JsonNode push, JsonNode message)
      throws IOException {
    String messageId = message.path("messageId").asText(message.path("message_id").asText(""));
    String publishTime =
        message.path("publishTime").asText(message.path("publish_time").asText(""));
    ObjectNode body = json.createObjectNode();
    ObjectNode inner = body.putObject("message");
    inner.set("data", message.path("data"));
    if (message.has("attributes")) {
      inner.set("attributes", message.get("attributes"));
    }
    inner.put("messageId", messageId);
    inner.put("publishTime", publishTime);
    if (push.has("deliveryAttempt")) {
      body.put("deliveryAttempt", push.get("deliveryAttempt").asInt());
    }
    body.put("subscription", push.path("subscription").asText(""));

    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("ce-specversion", "1.0")
            .header("ce-id", messageId)
            .header("ce-type", MESSAGE_PUBLISHED)
            .header(
                "ce-source", "//pubsub.googleapis.com/projects/" + projectId + "/topics/" + topic)
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    if (!publishTime.isEmpty()) {
      request.header("ce-time", publishTime);
    }
    JsonNode traceparent = message.path("attributes").path("traceparent");
    if (traceparent.isTextual()) {
      request.header("traceparent", traceparent.asText());
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 503;
    }
  }

  private static String queryValue(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name) && kv.length == 2 && kv[1].matches("[A-Za-z0-9._~%+-]{3,255}")) {
        return kv[1];
      }
    }
    return null;
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
