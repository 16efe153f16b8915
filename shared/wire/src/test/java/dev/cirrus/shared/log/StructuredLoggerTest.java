package dev.cirrus.shared.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.json.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StructuredLoggerTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final StructuredLogger log =
      new StructuredLogger(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new JsonCodec(),
          Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC),
          "demo-p",
          "users");

  private JsonNode line() throws Exception {
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void accessLineCarriesCloudLoggingFields() throws Exception {
    TraceContext trace =
        TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null)
            .orElseThrow();
    log.access(
        new StructuredLogger.Context("req-1", Optional.of(trace)),
        Map.of("appCheck", "missing"),
        new StructuredLogger.HttpRequestLog(
            "GET", "/v1/me", 200, Duration.ofMillis(12), 42, "curl/8", "10.0.0.1"));
    JsonNode line = line();
    assertThat(line.path("severity").asText()).isEqualTo("INFO");
    assertThat(line.path("logging.googleapis.com/trace").asText())
        .isEqualTo("projects/demo-p/traces/4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(line.path("logging.googleapis.com/labels").path("function").asText())
        .isEqualTo("users");
    assertThat(line.path("logging.googleapis.com/labels").path("requestId").asText())
        .isEqualTo("req-1");
    assertThat(line.path("logging.googleapis.com/labels").path("appCheck").asText())
        .isEqualTo("missing");
    assertThat(line.path("httpRequest").path("status").asInt()).isEqualTo(200);
    assertThat(line.path("httpRequest").path("latency").asText()).isEqualTo("0.012000s");
  }

  @Test
  void serverErrorsAreLoggedAsErrorsWithTheirStack() throws Exception {
    log.error(
        new StructuredLogger.Context("req-2", Optional.empty()),
        "boom",
        new IllegalStateException("bad state"));
    JsonNode line = line();
    assertThat(line.path("severity").asText()).isEqualTo("ERROR");
    assertThat(line.path("message").asText()).contains("boom").contains("IllegalStateException");
    assertThat(line.has("logging.googleapis.com/trace")).isFalse();
  }
}
