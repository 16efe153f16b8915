package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.shared.testing.TestDigests;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One trace from {@code POST /v1/uploads} to the push: the caller's {@code traceparent} is kept on
 * the upload, continued by process-upload (Cloud Storage's notification carries none) and carried
 * on file-events to notify. Read from the functions' own log lines, as Cloud Logging would.
 */
@ExtendWith(RunningStack.class)
class UploadTraceFlowTest {
  private static StackApi api;
  private static Path functionsLog;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    api = new StackApi(handle.stack());
    functionsLog = handle.state().resolve("functions").resolve("functions.log");
  }

  private static List<JsonNode> linesOfTrace(String traceId) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    for (String line : Files.readAllLines(functionsLog, StandardCharsets.UTF_8)) {
      if (line.startsWith("{") && line.contains(traceId)) {
        JsonNode entry = StackApi.JSON.readTree(line);
        if (entry.path("logging.googleapis.com/trace").asText().endsWith("/traces/" + traceId)) {
          found.add(entry);
        }
      }
    }
    return found;
  }

  @Test
  void anUploadsTraceRunsFromItsCreationThroughProcessingToNotify() throws Exception {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    AuthEmulatorClient.User user = api.newUser();
    byte[] text = "a traced file".getBytes(StandardCharsets.UTF_8);
    String body =
        StackApi.JSON.writeValueAsString(
            Map.of(
                "filename",
                "traced.txt",
                "contentType",
                "text/plain",
                "size",
                text.length,
                "md5",
                TestDigests.md5(text),
                "crc32c",
                TestDigests.crc32c(text)));
    HttpResponse<String> created =
        api.call(
            "POST",
            "/v1/uploads",
            user.idToken(),
            body,
            Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode session = StackApi.json(created);
    StackApi.put(session.path("uploadUrl").asText(), text, null, Map.of());
    api.awaitStatus(user.idToken(), session.path("uploadId").asText(), "ready");

    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              List<JsonNode> lines = linesOfTrace(traceId);
              List<String> functions = new ArrayList<>();
              lines.forEach(
                  l ->
                      functions.add(
                          l.path("logging.googleapis.com/labels").path("function").asText()));
              assertThat(functions).contains("uploads", "process-upload", "notify");
              assertThat(lines)
                  .anySatisfy(
                      l -> {
                        assertThat(
                                l.path("logging.googleapis.com/labels").path("function").asText())
                            .isEqualTo("process-upload");
                        assertThat(l.path("logging.googleapis.com/labels").path("outcome").asText())
                            .isEqualTo("READY");
                      });
            });
  }
}
