package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.shared.processing.TestImages;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The function host killed as an instance dies in production (SIGKILL, nothing flushed): the stack
 * replaces it as Cloud Run does, the gateway holds what arrives meanwhile, and events in flight are
 * delivered to the replacement. The stack is shared, so every test leaves it serving.
 */
@ExtendWith(RunningStack.class)
class InstanceReplacementTest {
  private static RunningStack.Handle handle;
  private static LocalStack stack;
  private static StackApi api;

  @BeforeAll
  static void connect(RunningStack.Handle running) {
    handle = running;
    stack = running.stack();
    api = new StackApi(stack);
  }

  @Test
  void aKilledFunctionHostIsReplacedAndARequestMeanwhileIsHeldNotFailed() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    assertThat(api.call("GET", "/v1/me", user.idToken(), null).statusCode()).isEqualTo(200);
    long killed = stack.functionHostPid();
    int replacedBefore = stack.functionHostReplacements();

    kill(killed);
    long sent = System.nanoTime();
    HttpResponse<String> me = api.call("GET", "/v1/me", user.idToken(), null);

    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(StackApi.json(me).path("uid").asText()).isEqualTo(user.uid());
    System.out.printf(
        "a request sent as the host died was answered after %d ms (held for the replacement)%n",
        Duration.ofNanos(System.nanoTime() - sent).toMillis());
    assertThat(stack.functionHostReplacements()).isEqualTo(replacedBefore + 1);
    assertThat(stack.functionHostPid()).isNotZero().isNotEqualTo(killed);
    assertThat(handle.progressText())
        .contains("functions  exited with 137 (pid " + killed + "); starting a replacement")
        .containsPattern("functions  replaced in [0-9.]+ s \\(pid " + stack.functionHostPid());
  }

  @Test
  void anUploadWhoseEventWasInFlightWhenTheHostDiedEndsReadyOnce() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    byte[] photo =
        TestImages.noisyJpeg(1600, 1200, new TestImages.Exif(1, null, null, null, false), 25);
    JsonNode session = api.createUpload(user.idToken(), "kill.jpg", "image/jpeg", photo);
    String uploadId = session.path("uploadId").asText();
    long host = stack.functionHostPid();

    // The last byte lands, the finalize event goes out, and the host dies under it.
    assertThat(StackApi.put(session.path("uploadUrl").asText(), photo, null, Map.of()).statusCode())
        .isEqualTo(200);
    kill(host);

    JsonNode done = api.awaitStatus(user.idToken(), uploadId, "ready", "rejected");
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("ready");
    JsonNode files = StackApi.json(api.call("GET", "/v1/files", user.idToken(), null));
    assertThat(files.path("files")).singleElement();
    JsonNode me = StackApi.json(api.call("GET", "/v1/me", user.idToken(), null));
    assertThat(me.path("quota").path("usedBytes").asLong()).isEqualTo(photo.length);
    assertThat(me.path("quota").path("fileCount").asLong()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.functionHostPid() != 0 && stack.functionHostPid() != host);
  }

  /** SIGKILL, as the kernel's OOM killer or a lost machine ends an instance. */
  private static void kill(long pid) {
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    assertThat(process.destroyForcibly()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
  }
}
