package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.shared.processing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local/export} and {@code local/run --import}: what a stack holds, saved while it runs and
 * restored into a new stack, which then serves the same users, files and bytes.
 */
@ExtendWith(RunningStack.class)
class StackExportTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static RunningStack.Handle handle;
  private static StackApi api;

  @BeforeAll
  static void connect(RunningStack.Handle running) {
    handle = running;
    api = new StackApi(running.stack());
  }

  @Test
  void aStackStartedFromAnExportServesTheSameUsersFilesAndBytes(@TempDir Path tmp)
      throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    String text = api.readyTextFile(user, "kept.txt");
    byte[] photo =
        TestImages.noisyJpeg(800, 600, new TestImages.Exif(1, null, null, null, false), 3);
    JsonNode session = api.createUpload(user.idToken(), "kept.jpg", "image/jpeg", photo);
    StackApi.put(session.path("uploadUrl").asText(), photo, null, Map.of());
    String image =
        api.awaitStatus(user.idToken(), session.path("uploadId").asText(), "ready")
            .path("fileId")
            .asText();
    JsonNode filesBefore = files(api, user.idToken());
    JsonNode meBefore = StackApi.json(api.call("GET", "/v1/me", user.idToken(), null));
    Path export = tmp.resolve("export");

    exportTo(export);

    try (LocalStack restored =
        start(tmp.resolve("state"), StackData.Seed.from(export, RunningStack.PROJECT))) {
      StackApi there = new StackApi(restored);
      AuthEmulatorClient.User again = there.signInAgain(user);
      assertThat(again.uid()).as("the same account, password and all").isEqualTo(user.uid());
      JsonNode filesAfter = files(there, again.idToken());
      assertThat(ids(filesAfter)).containsExactlyElementsOf(ids(filesBefore)).contains(text, image);
      assertThat(filesAfter).isEqualTo(filesBefore);
      JsonNode meAfter = StackApi.json(there.call("GET", "/v1/me", again.idToken(), null));
      assertThat(meAfter.path("quota")).isEqualTo(meBefore.path("quota"));
      assertThat(download(there, again.idToken(), text, "original"))
          .isEqualTo("text of kept.txt".getBytes(StandardCharsets.UTF_8));
      assertThat(download(there, again.idToken(), image, "original")).isEqualTo(photo);
      assertThat(download(there, again.idToken(), image, "thumb256"))
          .isEqualTo(download(api, user.idToken(), image, "thumb256"));
      // The restored stack works, not only reads: a new upload lands beside the old files.
      assertThat(there.readyTextFile(again, "new.txt")).isNotIn(text, image);
    }
  }

  @Test
  void anExportGoesOnlyIntoAnEmptyDirectoryAndImportsOnlyIntoItsOwnProject(@TempDir Path tmp)
      throws Exception {
    Files.writeString(tmp.resolve("something.txt"), "keep me");
    assertThatThrownBy(() -> exportTo(tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not empty");
    assertThat(tmp.resolve("something.txt")).hasContent("keep me");

    assertThatThrownBy(() -> StackData.Seed.from(tmp, RunningStack.PROJECT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no export");
    Path export = tmp.resolve("export");
    exportTo(export);
    assertThatThrownBy(() -> StackData.Seed.from(export, "demo-someone-else"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is an export of project " + RunningStack.PROJECT);
    // The Firebase CLI can read it too: its metadata names the Firestore and Auth parts.
    assertThat(export.resolve("firebase-export-metadata.json"))
        .content()
        .contains("firestore_export/firestore_export.overall_export_metadata", "auth_export");
    assertThat(export.resolve("firestore_export/firestore_export.overall_export_metadata"))
        .isRegularFile();
  }

  /** What local/export does, from the shared stack. */
  private static void exportTo(Path dir) throws Exception {
    LocalStack source = handle.stack();
    StackData.export(
        RunningStack.PROJECT,
        source.endpoints().firestoreHost(),
        source.endpoints().authHost(),
        handle.state().resolve("storage"),
        dir);
  }

  private static LocalStack start(Path state, StackData.Seed seed) throws Exception {
    Files.createDirectories(state);
    return LocalStack.start(
        ProjectLayout.locate(),
        RunningStack.PROJECT,
        LocalStack.Ports.free(),
        FunctionCatalog.functions(),
        state,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Map.of(),
        RunningStack.RETRY,
        seed);
  }

  /** Every file of the user, as the API lists them, all pages. */
  private static JsonNode files(StackApi on, String token) throws Exception {
    JsonNode page = StackApi.json(on.call("GET", "/v1/files?pageSize=100", token, null));
    assertThat(page.path("nextPageToken").isMissingNode() || page.path("nextPageToken").isNull())
        .as("one page holds them")
        .isTrue();
    return page.path("files");
  }

  private static List<String> ids(JsonNode files) {
    List<String> ids = new ArrayList<>();
    files.forEach(f -> ids.add(f.path("id").asText()));
    return ids;
  }

  private static byte[] download(StackApi on, String token, String fileId, String variant)
      throws Exception {
    HttpResponse<String> signed =
        on.call("GET", "/v1/files/" + fileId + "/download?variant=" + variant, token, null);
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    HttpResponse<byte[]> bytes =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(StackApi.json(signed).path("url").asText())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bytes.statusCode()).isEqualTo(200);
    return bytes.body();
  }
}
