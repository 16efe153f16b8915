package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.shared.testing.TarEntries;
import dev.cirrus.shared.testing.TarEntries.Entry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user's data export through the whole stack: asked for over the gateway, built by the
 * account-export function in steps driven by Pub/Sub, downloaded from its signed URL, and unpacked
 * as a tar whose originals are the uploaded bytes. And an export that an account deletion overtakes
 * leaves nothing behind.
 */
@ExtendWith(RunningStack.class)
class AccountExportTest {
  private static StackApi api;
  private static Firestore firestore;
  private static Storage storage;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String FILES_BUCKET = RunningStack.PROJECT + "-files";

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    api = new StackApi(handle.stack());
    firestore = StackClients.firestore(handle.stack());
    storage = StackClients.storage(handle.stack());
  }

  @AfterAll
  static void disconnect() throws Exception {
    firestore.close();
    storage.close();
  }

  private static JsonNode awaitExport(AuthEmulatorClient.User user, String status) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              HttpResponse<String> shown = api.call("GET", "/v1/me/export", user.idToken(), null);
              assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
              last[0] = StackApi.json(shown);
              return status.equals(last[0].path("status").asText());
            });
    return last[0];
  }

  private static List<String> exportObjects(String uid) {
    return StackClients.objectNames(storage, FILES_BUCKET, "exports/" + uid + "/");
  }

  @Test
  void anExportHoldsEveryOriginalAndTheDataAndItsSignedURLDownloadsIt() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    Map<String, byte[]> uploaded = new HashMap<>();
    for (String name : List.of("a.txt", "b.txt", "naïve name?.txt")) {
      String fileId = api.readyTextFile(user, name);
      uploaded.put(fileId, ("text of " + name).getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> asked = api.call("POST", "/v1/me:export", user.idToken(), null);
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    String id = StackApi.json(asked).path("id").asText();

    JsonNode ready = awaitExport(user, "ready");

    assertThat(ready.path("id").asText()).isEqualTo(id);
    assertThat(ready.path("files").asLong()).isEqualTo(3);
    HttpResponse<InputStream> download =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(ready.path("url").asText())).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
        .contains("attachment")
        .contains(".tar");
    Map<String, Entry> entries;
    try (InputStream in = download.body()) {
      entries = TarEntries.read(in);
    }
    assertThat(entries).hasSize(4);
    JsonNode data = StackApi.JSON.readTree(entries.get("cirrus-export/data.json").small());
    assertThat(data.path("profile").path("uid").asText()).isEqualTo(user.uid());
    assertThat(data.path("files")).hasSize(3);
    for (JsonNode file : data.path("files")) {
      byte[] original = uploaded.get(file.path("id").asText());
      assertThat(original).as(file.toString()).isNotNull();
      Entry entry = entries.get(file.path("archivePath").asText());
      assertThat(entry.small()).isEqualTo(original);
      assertThat(file.path("sha256").asText()).isEqualTo(entry.sha256());
    }
    assertThat(data.path("notifications").size())
        .as("a file.ready notification per upload")
        .isEqualTo(3);
    assertThat(exportObjects(user.uid()))
        .as("the parts are gone once the archive is assembled")
        .containsExactly("exports/" + user.uid() + "/cirrus-export-" + id + ".tar");
  }

  @Test
  void deletingTheAccountWhileItsExportIsBuiltLeavesNoExportBehind() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    api.readyTextFile(user, "one.txt");
    api.readyTextFile(user, "two.txt");
    assertThat(api.call("POST", "/v1/me:export", user.idToken(), null).statusCode()).isEqualTo(202);
    assertThat(api.call("DELETE", "/v1/me", user.idToken(), null).statusCode()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                "done"
                    .equals(
                        firestore
                            .collection("accountDeletions")
                            .document(user.uid())
                            .get()
                            .get()
                            .getString("phase")));
    // A step of the export still in flight finds its job gone and deletes what it wrote.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(25))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> exportObjects(user.uid()).isEmpty());
    assertThat(firestore.collection("accountExports").document(user.uid()).get().get().exists())
        .isFalse();
  }
}
