package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.runner.EventarcBridge.SubscriptionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStatusTest {
  private static String access(String function, int status, String latency) {
    return "{\"severity\":\"INFO\",\"message\":\"GET /v1/me "
        + status
        + "\",\"logging.googleapis.com/labels\":{\"function\":\""
        + function
        + "\",\"requestId\":\"r\"},\"httpRequest\":{\"status\":"
        + status
        + ",\"latency\":\""
        + latency
        + "\"}}";
  }

  private static String event(String function, String severity, String message, String outcome) {
    return "{\"severity\":\""
        + severity
        + "\",\"message\":\""
        + message
        + "\",\"logging.googleapis.com/labels\":{\"function\":\""
        + function
        + "\""
        + (outcome == null ? "" : ",\"outcome\":\"" + outcome + "\"")
        + "}}";
  }

  @Test
  void theFunctionsLinesAddUpToWhatTheMetricsWouldShow(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("functions.log");
    Files.write(
        log,
        List.of(
            "Serving function...",
            access("users", 200, "0.010000s"),
            access("users", 200, "0.030000s"),
            access("users", 503, "0.020000s"),
            access("users", 429, "0.001000s"),
            event(
                "process-upload",
                "INFO",
                "upload-finalized m1: READY in 120 ms, waited 5 ms",
                "READY"),
            event(
                "process-upload",
                "INFO",
                "upload-finalized m2: READY in 80 ms, waited 5 ms",
                "READY"),
            event(
                "process-upload",
                "INFO",
                "upload-finalized m3: REJECTED in 9 ms, waited 1 ms",
                "REJECTED"),
            event(
                "dead-letters",
                "WARNING",
                "dead-letters m4: dead letter d1 from s (topic t) after 5 attempts",
                null),
            event(
                "notify",
                "INFO",
                "file-events Notified[outcome=Outcome[recipients=2, pushed=3, pruned=1, failed=0]]",
                null),
            "{not json"));
    JsonNode status =
        new StackStatus(new ObjectMapper())
            .read(
                log,
                Map.of(
                    "eventarc-upload-finalized",
                    new SubscriptionStatus("upload-finalized", 3, 1, 1, Duration.ofSeconds(2))));

    JsonNode users = status.path("functions").path("users");
    assertThat(users.path("requests").asLong()).isEqualTo(4);
    assertThat(users.path("errorRatio").asDouble()).isEqualTo(0.25);
    assertThat(users.path("rateLimited").asLong()).isEqualTo(1);
    assertThat(users.path("p50Ms").asDouble()).isEqualTo(10.0);
    assertThat(users.path("p95Ms").asDouble()).isEqualTo(30.0);
    assertThat(status.path("pipeline").path("outcomes").path("READY").asLong()).isEqualTo(2);
    assertThat(status.path("pipeline").path("outcomes").path("REJECTED").asLong()).isEqualTo(1);
    assertThat(status.path("pipeline").path("processingP95Ms").asDouble()).isEqualTo(120.0);
    assertThat(status.path("deadLetters").asLong()).isEqualTo(1);
    assertThat(status.path("pushes").path("pushed").asLong()).isEqualTo(3);
    assertThat(status.path("pushes").path("pruned").asLong()).isEqualTo(1);
    JsonNode sub = status.path("subscriptions").path("eventarc-upload-finalized");
    assertThat(sub.path("retried").asLong()).isEqualTo(1);
    assertThat(sub.path("oldestInFlightSeconds").asDouble()).isEqualTo(2.0);
    assertThat(StackStatus.text(status))
        .contains("users")
        .contains("25.0%")
        .contains("eventarc-upload-finalized")
        .contains("dead letters: 1");
  }

  @Test
  void aStackThatHasLoggedNothingYetHasNothingToShow(@TempDir Path dir) throws Exception {
    JsonNode status = new StackStatus(new ObjectMapper()).read(dir.resolve("absent.log"), Map.of());
    assertThat(status.path("functions").size()).isZero();
    assertThat(status.path("deadLetters").asLong()).isZero();
  }
}
