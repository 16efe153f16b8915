package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.emulators.ProjectLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients no one here wrote, from npm ({@code node/package.json}): Firebase's rules testing library
 * against the security rules infra deploys, and the Firebase JS SDK as an app uses it, listening to
 * its notifications through the whole stack.
 */
@ExtendWith(RunningStack.class)
class FirebaseClientsTest {
  private static LocalStack stack;
  private static Path node;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    node = Path.of("node").toAbsolutePath();
    assertThat(node.resolve("node_modules/@firebase/rules-unit-testing"))
        .as("run 'npm ci --prefix local/runner/node' (local/test does)")
        .isDirectory();
  }

  private static String run(String script, int tests) throws Exception {
    Path log = Files.createTempFile("firebase-clients", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "--test", script)
            .directory(node.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.putAll(stack.endpoints().asEnvironment());
    env.put(
        "CIRRUS_FIRESTORE_RULES",
        ProjectLayout.locate().firestoreRules().toAbsolutePath().toString());
    Process process = builder.start();
    boolean finished = process.waitFor(120, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("# pass " + tests).contains("# fail 0");
    return output;
  }

  @Test
  void theSecurityRulesAllowOwnersAndRefuseEveryoneElse() throws Exception {
    run("rules.test.mjs", 5);
  }

  @Test
  void anAppsListenerSeesItsUploadsNotificationAndNotAnotherUsers() throws Exception {
    run("listener.test.mjs", 2);
  }
}
