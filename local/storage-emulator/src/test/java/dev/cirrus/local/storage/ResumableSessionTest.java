package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A resumable session after its upload completed, as the service answers it: a client that lost the
 * final response asks for the status (or sends the last request again) and gets the object, not a
 * 404 that would make it think the upload is gone.
 */
class ResumableSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private StorageEmulator emulator;

  @BeforeEach
  void start() throws Exception {
    emulator = StorageEmulator.inMemory(0);
    emulator.store().createBucket("sessions");
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private String openSession() throws Exception {
    HttpResponse<String> opened =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        emulator.url()
                            + "/upload/storage/v1/b/sessions/o?uploadType=resumable&name=done.txt"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(opened.statusCode()).isEqualTo(200);
    return opened.headers().firstValue("Location").orElseThrow();
  }

  private HttpResponse<String> put(String session, String range, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(session))
            .header("Content-Range", range)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStatusQueryOnACompletedSessionAnswersWithTheObject() throws Exception {
    String session = openSession();
    HttpResponse<String> done = put(session, "bytes 0-9/10", "0123456789");
    assertThat(done.statusCode()).isEqualTo(200);
    JsonNode object = JSON.readTree(done.body());

    HttpResponse<String> status = put(session, "bytes */10", "");
    assertThat(status.statusCode()).isEqualTo(200);
    JsonNode again = JSON.readTree(status.body());
    assertThat(again.path("name").asText()).isEqualTo("done.txt");
    assertThat(again.path("size").asText()).isEqualTo("10");
    assertThat(again.path("generation").asText()).isEqualTo(object.path("generation").asText());

    HttpResponse<String> repeated = put(session, "bytes 0-9/10", "0123456789");
    assertThat(repeated.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(repeated.body()).path("generation").asText())
        .as("the same object, not a second write")
        .isEqualTo(object.path("generation").asText());
  }

  @Test
  void aStatusQueryOnAnUnfinishedSessionSaysHowMuchItHas() throws Exception {
    String session = openSession();
    byte[] quarter = new byte[256 * 1024];
    HttpResponse<String> first =
        http.send(
            HttpRequest.newBuilder(URI.create(session))
                .header("Content-Range", "bytes 0-" + (quarter.length - 1) + "/*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(quarter))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).isEqualTo(308);
    HttpResponse<String> status = put(session, "bytes */*", "");
    assertThat(status.statusCode()).isEqualTo(308);
    assertThat(status.headers().firstValue("Range")).contains("bytes=0-" + (quarter.length - 1));
  }

  @Test
  void aCancelledSessionIsGone() throws Exception {
    String session = openSession();
    http.send(
        HttpRequest.newBuilder(URI.create(session)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put(session, "bytes */10", "").statusCode()).isEqualTo(404);
  }
}
