package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.shared.processing.HostileImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile corpus uploaded as any user can, through the whole local stack: each file ends as its
 * verdict (a recorded rejection, or a file where only its hostile part was hostile), and the
 * function host, whose heap is capped as a deployed instance's is, stays up for every function.
 * Prints the host's peak resident memory per file.
 */
@ExtendWith(RunningStack.class)
class HostileUploadsTest {
  private static LocalStack stack;
  private static StackApi api;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    api = new StackApi(stack);
  }

  @Test
  void everyHostileUploadIsARecordedVerdictAndTheInstanceKeepsServing() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    long pid = stack.functionHostPid();
    StringBuilder report =
        new StringBuilder("peak RSS of the function host, per hostile upload:\n");
    for (HostileImages.Case hostile : HostileImages.corpus()) {
      resetPeak(pid);
      JsonNode session =
          api.createUpload(user.idToken(), hostile.name(), hostile.contentType(), hostile.bytes());
      StackApi.put(session.path("uploadUrl").asText(), hostile.bytes(), null, Map.of());
      JsonNode done =
          api.awaitStatus(user.idToken(), session.path("uploadId").asText(), "ready", "rejected");

      if (hostile.verdict().isPresent()) {
        assertThat(done.path("status").asText()).as(hostile.name()).isEqualTo("rejected");
        assertThat(done.path("reason").asText())
            .as(hostile.name())
            .isEqualTo(hostile.verdict().get());
      } else {
        assertThat(done.path("status").asText()).as(hostile.name()).isEqualTo("ready");
      }
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
          .as(hostile.name())
          .contains(true);
      report.append(String.format("  %-40s %6d KiB%n", hostile.name(), peakKib(pid)));
    }
    System.out.print(report);

    assertThat(api.call("GET", "/v1/health", null, null).statusCode()).isEqualTo(200);
    assertThat(api.call("GET", "/v1/me", user.idToken(), null).statusCode()).isEqualTo(200);
    JsonNode me = StackApi.json(api.call("GET", "/v1/me", user.idToken(), null));
    assertThat(me.path("quota").path("usedBytes").asLong())
        .as("rejections charge nothing; only the legitimate files count")
        .isEqualTo(
            HostileImages.corpus().stream()
                .filter(c -> c.verdict().isEmpty())
                .mapToLong(c -> c.bytes().length)
                .sum());
  }

  /** Resets VmHWM (Linux: clear_refs 5), so the next reading is this upload's peak. */
  private static void resetPeak(long pid) {
    try {
      Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
    } catch (IOException | UnsupportedOperationException e) {
      // not Linux or not allowed: the figures are then peaks since the start
    }
  }

  private static long peakKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
