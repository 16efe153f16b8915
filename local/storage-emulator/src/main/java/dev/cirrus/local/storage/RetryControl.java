package dev.cirrus.local.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage-testbench control API: {@code POST /retry_test}, {@code GET /retry_tests}, {@code
 * GET|DELETE /retry_test/{id}}. Only the HTTP transport is emulated; gRPC gets 501. A create may
 * name its {@code id} (not in the testbench): the local stack's function host is started naming one
 * in every call, and the chaos run creates it.
 */
final class RetryControl {
  private final RetryTests tests;
  private final ObjectMapper json = new ObjectMapper();

  RetryControl(RetryTests tests) {
    this.tests = tests;
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    try {
      if (path.equals("/retry_test") && method.equals("POST")) {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
          body = json.readTree(in.readNBytes(1024 * 1024));
        }
        if (body == null || !body.path("instructions").isObject()) {
          throw StorageError.invalid("a retry test needs an instructions object");
        }
        String transport = body.path("transport").asText("HTTP");
        if (transport.equalsIgnoreCase("GRPC")) {
          send(exchange, 501, Map.of("error", "only the HTTP transport is emulated"));
          return;
        }
        Map<String, List<String>> instructions = new LinkedHashMap<>();
        body.path("instructions")
            .properties()
            .forEach(
                e -> {
                  List<String> list = new ArrayList<>();
                  e.getValue().forEach(i -> list.add(i.asText()));
                  instructions.put(e.getKey(), list);
                });
        Optional<String> id =
            body.path("id").isTextual() ? Optional.of(body.path("id").asText()) : Optional.empty();
        send(exchange, 200, tests.create(instructions, transport, id).view());
      } else if (path.equals("/retry_tests") && method.equals("GET")) {
        List<Object> all = new ArrayList<>();
        tests.all().forEach(t -> all.add(t.view()));
        send(exchange, 200, Map.of("retry_test", all));
      } else if (path.startsWith("/retry_test/")) {
        String id = path.substring("/retry_test/".length());
        var test = tests.get(id).orElseThrow(() -> StorageError.notFound("no retry test " + id));
        if (method.equals("DELETE")) {
          tests.delete(id);
          send(exchange, 200, Map.of());
        } else {
          send(exchange, 200, test.view());
        }
      } else {
        throw StorageError.notFound("Not Found");
      }
    } catch (StorageError e) {
      send(exchange, e.status(), Map.of("error", e.getMessage()));
    } catch (JsonProcessingException e) {
      send(exchange, 400, Map.of("error", "the body is not JSON"));
    }
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
