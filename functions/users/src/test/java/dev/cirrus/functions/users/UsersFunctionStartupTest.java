package dev.cirrus.functions.users;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.local.emulators.FunctionProcess;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function as a process: what it does with its environment before the first request. */
class UsersFunctionStartupTest {

  @Test
  void refusesToStartWithTheAuthEmulatorOutsideADemoProject() {
    assertThatThrownBy(
            () ->
                startWith(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "cirrus-prod",
                        "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited")
        .hasMessageContaining("FIREBASE_AUTH_EMULATOR_HOST is set")
        .hasMessageContaining("does not start with 'demo-'");
  }

  @Test
  void refusesToStartWithABlankAuthEmulatorHostOutsideADemoProject() {
    // The Admin SDK would take " " as an emulator and accept unsigned tokens.
    assertThatThrownBy(
            () ->
                startWith(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "cirrus-prod",
                        "FIREBASE_AUTH_EMULATOR_HOST", " ")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited")
        .hasMessageContaining("FIREBASE_AUTH_EMULATOR_HOST");
  }

  /** Starts the function as a deployed one starts, with {@code env}, and stops it. */
  private static void startWith(Map<String, String> env) throws Exception {
    FunctionProcess.start(
            UsersFunction.class.getName(),
            System.getProperty("java.class.path"),
            env,
            Files.createTempDirectory("users-refuse"),
            List.of("-Xmx64m"))
        .close();
  }

  @Test
  void refusesToStartWithoutAProject() {
    assertThatThrownBy(() -> startWith(Map.of("GOOGLE_CLOUD_PROJECT", "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GOOGLE_CLOUD_PROJECT is not set");
  }
}
