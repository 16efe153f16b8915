package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.shared.processing.TestImages;
import dev.cirrus.shared.testing.TestDigests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * on file-events to notify. Read from the functions' own log lines, as Cloud Logging would, and
 * from the spans the functions exported to the stack's collector, as Cloud Trace would show them.
 */
@ExtendWith(RunningStack.class)
class UploadTraceFlowTest {
  private static StackApi api;
  private static Path functionsLog;
  private static String tracesUrl;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    api = new StackApi(handle.stack());
    tracesUrl = handle.stack().endpoints().tracesUrl();
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
    // A device, so that the file's announcement ends in a push: FCM's send is in the trace too.
    HttpResponse<String> device =
        api.call(
            "POST",
            "/v1/me/devices",
            user.idToken(),
            "{\"token\":\"traced-device-" + user.uid() + "\",\"platform\":\"android\"}");
    assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
    byte[] text = TestImages.jpeg(640, 480, null);
    String body =
        StackApi.JSON.writeValueAsString(
            Map.of(
                "filename",
                "traced.jpg",
                "contentType",
                "image/jpeg",
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

    // What local/trace prints for the upload: its stages in order, in the caller's trace.
    String uploadId = session.path("uploadId").asText();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              String waterfall = get(tracesUrl + "/" + uploadId + "?format=text");
              assertThat(waterfall).startsWith("trace " + traceId);
              List<String> stages = new ArrayList<>();
              for (String line : waterfall.split("\n")) {
                // After the columns: start, took, bar (32), function (15).
                String span = line.length() > 71 ? line.substring(71).trim() : "";
                for (String stage :
                    List.of(
                        "verify",
                        "sniff",
                        "describe",
                        "thumbnail",
                        "promote",
                        "record",
                        "announce")) {
                  if (span.startsWith(stage + " ")) {
                    stages.add(stage);
                  }
                }
              }
              assertThat(stages)
                  .containsExactly(
                      "verify", "sniff", "describe", "thumbnail", "promote", "record", "announce");
              assertThat(waterfall)
                  .contains("POST /v1/uploads [server] 201", "upload-finalized process [consumer]")
                  .contains("notify process [consumer]")
                  .contains("firestore UploadStore.promote", "cloud-storage ObjectStorage.copy")
                  .contains("pubsub publish file-events [producer]")
                  .contains("fcm PushSender.")
                  .doesNotContain("ERROR");
            });
    JsonNode spans = StackApi.JSON.readTree(get(tracesUrl + "/" + traceId));
    assertThat(spans)
        .as("no span carries a token or a signed URL")
        .allSatisfy(
            span ->
                assertThat(span.toString())
                    .doesNotContain(user.idToken())
                    .doesNotContain("X-Goog-Signature"));
    // The caller's span is the parent of the request's: the trace is theirs.
    assertThat(spans.get(0).path("parentSpanId").asText()).isEqualTo("b7ad6b7169203331");
  }

  private static String get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
