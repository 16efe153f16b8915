package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.emulators.LoopbackServer;
import dev.cirrus.local.runner.OtlpSpans.Collected;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The local stack's Cloud Trace: an OTLP/HTTP receiver ({@code POST /v1/traces}, protobuf, as
 * {@code telemetry.googleapis.com} takes it) that keeps the latest spans in memory, and {@code GET
 * /traces/{traceId or uploadId}} that gives one trace back, as JSON or, with {@code ?format=text},
 * as the waterfall {@code local/trace} prints.
 */
final class TraceCollector {
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final int KEPT = 50_000;
  private static final int BAR = 32;
  private static final String[] KINDS = {"", "", "server", "client", "producer", "consumer"};

  private final Deque<Collected> spans = new ArrayDeque<>();
  private final ObjectMapper json;

  TraceCollector(ObjectMapper json) {
    this.json = json;
  }

  /** Keeps {@code received}, dropping the oldest beyond the last 50,000. */
  synchronized void keep(List<Collected> received) {
    for (Collected span : received) {
      spans.addLast(span);
      if (spans.size() > KEPT) {
        spans.removeFirst();
      }
    }
  }

  /**
   * The spans of the trace {@code id} names: a trace id, or an upload's id (the trace whose spans
   * carry it as {@code cirrus.upload_id}), ordered as the waterfall shows them.
   */
  synchronized List<Collected> trace(String id) {
    String traceId = id;
    if (!TRACE_ID.matcher(id).matches()) {
      traceId =
          spans.stream()
              .filter(s -> id.equals(s.attributes().get("cirrus.upload_id")))
              .map(Collected::traceId)
              .findFirst()
              .orElse("");
    }
    String wanted = traceId;
    return ordered(spans.stream().filter(s -> s.traceId().equals(wanted)).toList());
  }

  /** Depth-first from each root (a span whose parent is not here), children by start time. */
  private static List<Collected> ordered(List<Collected> trace) {
    Set<String> ids = new HashSet<>();
    trace.forEach(s -> ids.add(s.spanId()));
    Map<String, List<Collected>> children = new HashMap<>();
    List<Collected> roots = new ArrayList<>();
    for (Collected s : trace) {
      if (ids.contains(s.parentSpanId())) {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      } else {
        roots.add(s);
      }
    }
    List<Collected> out = new ArrayList<>();
    Deque<Collected> stack = new ArrayDeque<>();
    roots.stream()
        .sorted(Comparator.comparingLong(Collected::startNanos).reversed())
        .forEach(stack::push);
    while (!stack.isEmpty()) {
      Collected s = stack.pop();
      out.add(s);
      children.getOrDefault(s.spanId(), List.of()).stream()
          .sorted(Comparator.comparingLong(Collected::startNanos).reversed())
          .forEach(stack::push);
    }
    return out;
  }

  /** The waterfall: offset and duration in ms, a bar, the function, and the span indented. */
  static String waterfall(List<Collected> trace) {
    if (trace.isEmpty()) {
      return "no such trace (yet): spans reach the stack when each request or message ends\n";
    }
    long start = trace.stream().mapToLong(Collected::startNanos).min().orElse(0);
    long end = trace.stream().mapToLong(Collected::endNanos).max().orElse(start);
    double total = Math.max(1, end - start);
    Map<String, Integer> depth = new HashMap<>();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "trace %s: %d spans, %.1f ms%n", trace.get(0).traceId(), trace.size(), total / 1e6));
    out.append(
        String.format(
            "%9s %9s  %-" + BAR + "s  %-15s %s%n", "start ms", "took ms", "", "function", "span"));
    for (Collected s : trace) {
      int d = depth.getOrDefault(s.parentSpanId(), -1) + 1;
      depth.put(s.spanId(), d);
      int from = (int) Math.round((s.startNanos() - start) / total * BAR);
      int to = Math.max(from + 1, (int) Math.round((s.endNanos() - start) / total * BAR));
      String bar =
          " ".repeat(Math.min(from, BAR - 1)) + "#".repeat(Math.max(1, Math.min(to, BAR) - from));
      StringBuilder what = new StringBuilder("  ".repeat(d)).append(s.name());
      String kind = s.kind() < KINDS.length ? KINDS[s.kind()] : "";
      if (!kind.isEmpty()) {
        what.append(" [").append(kind).append(']');
      }
      Optional.ofNullable(s.attributes().get("http.response.status_code"))
          .ifPresent(c -> what.append(' ').append(c));
      Optional.ofNullable(s.attributes().get("cirrus.outcome"))
          .ifPresent(o -> what.append(" ").append(o));
      Optional.ofNullable(s.attributes().get("cirrus.reason"))
          .ifPresent(r -> what.append(" (").append(r).append(')'));
      if (s.error()) {
        what.append(" ERROR");
      }
      out.append(
          String.format(
              "%9.1f %9.1f  %-" + BAR + "s  %-15s %s%n",
              (s.startNanos() - start) / 1e6,
              (s.endNanos() - s.startNanos()) / 1e6,
              bar,
              s.service(),
              what));
    }
    return out.toString();
  }

  /** Serves {@code POST /v1/traces} and {@code GET /traces/{id}} on a free loopback port. */
  LoopbackServer serve() throws IOException {
    return new LoopbackServer(
        0,
        "/",
        4,
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/traces")) {
            receive(exchange);
          } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/traces/")) {
            answer(exchange, path.substring("/traces/".length()));
          } else {
            send(exchange, 404, "text/plain", "no such route: " + path);
          }
        },
        (exchange, e) -> send(exchange, 400, "text/plain", "cannot read that: " + e.getMessage()));
  }

  private void receive(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in =
        "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
            ? new GZIPInputStream(exchange.getRequestBody())
            : exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    keep(OtlpSpans.parse(body));
    // An empty ExportTraceServiceResponse: full success.
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, -1);
  }

  private void answer(HttpExchange exchange, String id) throws IOException {
    List<Collected> trace = trace(id);
    if (String.valueOf(exchange.getRequestURI().getQuery()).contains("format=text")) {
      send(exchange, trace.isEmpty() ? 404 : 200, "text/plain; charset=utf-8", waterfall(trace));
      return;
    }
    ArrayNode out = json.createArrayNode();
    for (Collected s : trace) {
      ObjectNode n = out.addObject();
      n.put("traceId", s.traceId());
      n.put("spanId", s.spanId());
      n.put("parentSpanId", s.parentSpanId());
      n.put("name", s.name());
      n.put("service", s.service());
      n.put("kind", s.kind() < KINDS.length ? KINDS[s.kind()] : "");
      n.put("startUnixNanos", s.startNanos());
      n.put("endUnixNanos", s.endNanos());
      n.put("error", s.error());
      n.set("attributes", json.valueToTree(s.attributes()));
    }
    send(exchange, trace.isEmpty() ? 404 : 200, "application/json", json.writeValueAsString(out));
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
