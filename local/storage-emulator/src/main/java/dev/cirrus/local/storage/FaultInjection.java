package dev.cirrus.local.storage;

import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.api.JsonApi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * storage-testbench's fault injection as one wrapper around the API handlers: a request that
 * carries {@code x-retry-test-id} takes the next instruction its test holds for its method ({@link
 * RetryTests}, grammar parsed by {@link Fault#parse}). An instruction that replaces the answer (a
 * status, a reset) is carried out here; one that acts mid-stream (after N bytes) is handed to the
 * handler through {@link Faults} for the length of the request.
 */
final class FaultInjection {
  /** What serves the request when no fault replaces the answer. */
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final RetryTests tests;
  private final Faults faults;

  FaultInjection(RetryTests tests, Faults faults) {
    this.tests = tests;
    this.faults = faults;
  }

  void around(HttpExchange exchange, Handler handler) throws IOException {
    String testId = exchange.getRequestHeaders().getFirst("x-retry-test-id");
    if (testId != null) {
      String method =
          RetryTests.methodOf(
              JsonApi.effectiveMethod(exchange),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery());
      var instruction = tests.next(testId, method);
      if (instruction.isPresent()) {
        Fault fault = Fault.parse(instruction.get());
        switch (fault.kind()) {
          case STATUS -> {
            injectedStatus(exchange, fault.status());
            return;
          }
          case RESET -> throw new Fault.DropConnection();
          default -> faults.put(exchange, fault);
        }
      }
    }
    try {
      handler.handle(exchange);
    } finally {
      faults.remove(exchange);
    }
  }

  private static void injectedStatus(HttpExchange exchange, int status) throws IOException {
    byte[] body =
        ("{\"error\":{\"code\":"
                + status
                + ",\"message\":\"Retry test: injected "
                + status
                + "\",\"errors\":[{\"reason\":\"injected\"}]}}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
