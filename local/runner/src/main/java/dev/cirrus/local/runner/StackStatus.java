package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.local.emulators.LoopbackServer;
import dev.cirrus.local.runner.EventarcBridge.SubscriptionStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers infra/monitoring.tf gives an operator, from the running stack: read from the
 * functions' own log lines (the same structured lines Cloud Logging's log-based metrics read) and
 * from the Eventarc bridge's subscriptions. Served by the stack as JSON and as text ({@code
 * local/status}).
 */
final class StackStatus {
  private static final Pattern TOOK = Pattern.compile(" in ([0-9]+) ms");
  private static final Pattern PUSHES = Pattern.compile("\\b(pushed|pruned|failed)=([0-9]+)");

  private final ObjectMapper json;

  StackStatus(ObjectMapper json) {
    this.json = json;
  }

  /** Per function, requests by what happened to them; latencies in ms. */
  private static final class Calls {
    long requests;
    long errors;
    long limited;
    final List<Double> latencies = new ArrayList<>();
  }

  ObjectNode read(Path functionsLog, Map<String, SubscriptionStatus> subscriptions)
      throws IOException {
    Map<String, Calls> calls = new TreeMap<>();
    Map<String, Long> outcomes = new TreeMap<>();
    List<Double> processing = new ArrayList<>();
    Map<String, Long> pushes = new TreeMap<>(Map.of("pushed", 0L, "pruned", 0L, "failed", 0L));
    long deadLetters = 0;
    if (Files.exists(functionsLog)) {
      try (BufferedReader lines = Files.newBufferedReader(functionsLog, StandardCharsets.UTF_8)) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (!line.startsWith("{")) {
            continue; // the invoker's own lines
          }
          JsonNode entry;
          try {
            entry = json.readTree(line);
          } catch (IOException e) {
            continue;
          }
          JsonNode labels = entry.path("logging.googleapis.com/labels");
          String function = labels.path("function").asText("");
          String message = entry.path("message").asText("");
          JsonNode http = entry.path("httpRequest");
          if (http.isObject()) {
            Calls c = calls.computeIfAbsent(function, f -> new Calls());
            c.requests++;
            int status = http.path("status").asInt();
            if (status >= 500) {
              c.errors++;
            } else if (status == 429) {
              c.limited++;
            }
            c.latencies.add(seconds(http.path("latency").asText("0s")) * 1000);
          }
          if (function.equals("process-upload") && labels.has("outcome")) {
            outcomes.merge(labels.path("outcome").asText(), 1L, Long::sum);
            Matcher took = TOOK.matcher(message);
            if (labels.path("outcome").asText().equals("READY") && took.find()) {
              processing.add(Double.parseDouble(took.group(1)));
            }
          }
          if (function.equals("dead-letters")
              && entry.path("severity").asText().equals("WARNING")
              && message.contains(": dead letter ")) {
            deadLetters++;
          }
          if (function.equals("notify")) {
            Matcher m = PUSHES.matcher(message);
            while (m.find()) {
              pushes.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
            }
          }
        }
      }
    }
    ObjectNode status = json.createObjectNode();
    ObjectNode functions = status.putObject("functions");
    calls.forEach(
        (name, c) -> {
          ObjectNode f = functions.putObject(name);
          f.put("requests", c.requests);
          f.put("errorRatio", c.requests == 0 ? 0 : (double) c.errors / c.requests);
          f.put("rateLimited", c.limited);
          f.put("p50Ms", percentile(c.latencies, 50));
          f.put("p95Ms", percentile(c.latencies, 95));
        });
    ObjectNode pipeline = status.putObject("pipeline");
    pipeline.set("outcomes", json.valueToTree(outcomes));
    pipeline.put("processingP50Ms", percentile(processing, 50));
    pipeline.put("processingP95Ms", percentile(processing, 95));
    ObjectNode subs = status.putObject("subscriptions");
    subscriptions.forEach(
        (name, s) -> {
          ObjectNode n = subs.putObject(name);
          n.put("topic", s.topic());
          n.put("acked", s.acked());
          n.put("retried", s.retried());
          n.put("inFlight", s.inFlight());
          n.put("oldestInFlightSeconds", s.oldestInFlight().toMillis() / 1000.0);
        });
    status.put("deadLetters", deadLetters);
    status.set("pushes", json.valueToTree(pushes));
    return status;
  }

  /** Serves {@code GET /status}: JSON, or text with {@code ?format=text}, read afresh each time. */
  LoopbackServer serve(Supplier<Path> functionsLog, EventarcBridge bridge) throws IOException {
    return new LoopbackServer(
        0,
        "/status",
        2,
        exchange -> {
          ObjectNode status = read(functionsLog.get(), bridge.status());
          boolean text =
              String.valueOf(exchange.getRequestURI().getQuery()).contains("format=text");
          byte[] body =
              (text
                      ? text(status)
                      : json.writerWithDefaultPrettyPrinter().writeValueAsString(status))
                  .getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", text ? "text/plain; charset=utf-8" : "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        },
        (exchange, e) -> {
          byte[] body = ("status unavailable: " + e).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(500, body.length);
          exchange.getResponseBody().write(body);
        });
  }

  /** The same, as {@code local/status} prints it. */
  static String text(JsonNode status) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-16s %9s %8s %8s %9s %9s%n",
            "function", "requests", "5xx", "429", "p50 ms", "p95 ms"));
    status
        .path("functions")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode f = e.getValue();
              out.append(
                  String.format(
                      "%-16s %9d %7.1f%% %8d %9.1f %9.1f%n",
                      e.getKey(),
                      f.path("requests").asLong(),
                      f.path("errorRatio").asDouble() * 100,
                      f.path("rateLimited").asLong(),
                      f.path("p50Ms").asDouble(),
                      f.path("p95Ms").asDouble()));
            });
    JsonNode pipeline = status.path("pipeline");
    out.append(
        String.format(
            "%nuploads: %s; processing p50 %.0f ms, p95 %.0f ms%n",
            pipeline.path("outcomes"),
            pipeline.path("processingP50Ms").asDouble(),
            pipeline.path("processingP95Ms").asDouble()));
    out.append(
        String.format(
            "%n%-44s %7s %7s %9s %10s%n",
            "subscription", "acked", "retried", "in flight", "oldest s"));
    status
        .path("subscriptions")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode s = e.getValue();
              out.append(
                  String.format(
                      "%-44s %7d %7d %9d %10.1f%n",
                      e.getKey(),
                      s.path("acked").asLong(),
                      s.path("retried").asLong(),
                      s.path("inFlight").asLong(),
                      s.path("oldestInFlightSeconds").asDouble()));
            });
    out.append(
        String.format(
            "%ndead letters: %d; pushes: %s%n",
            status.path("deadLetters").asLong(), status.path("pushes")));
    return out.toString();
  }

  /** Cloud Logging's duration: {@code "0.012345s"}. */
  private static double seconds(String latency) {
    try {
      return Double.parseDouble(
          latency.endsWith("s") ? latency.substring(0, latency.length() - 1) : latency);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
