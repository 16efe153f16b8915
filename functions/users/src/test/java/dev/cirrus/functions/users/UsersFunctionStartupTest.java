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
                FunctionProcess.start(
                        UsersFunction.class.getName(),
                        System.getProperty("java.class.path"),
                        Map.of(
                            "GOOGLE_CLOUD_PROJECT", "cirrus-prod",
                            "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099"),
                        Files.createTempDirectory("users-refuse"),
                        List.of("-Xmx64m"))
                    .close())
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
                FunctionProcess.start(
                        UsersFunction.class.getName(),
                        System.getProperty("java.class.path"),
                        Map.of(
                            "GOOGLE_CLOUD_PROJECT", "cirrus-prod",
                            "FIREBASE_AUTH_EMULATOR_HOST", " "),
                        Files.createTempDirectory("users-refuse"),
                        List.of("-Xmx64m"))
                    .close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited")
        .hasMessageContaining("FIREBASE_AUTH_EMULATOR_HOST");
  }

  @Test
  void refusesToStartWithoutAProject() {
    assertThatThrownBy(
            () ->
                FunctionProcess.start(
                        UsersFunction.class.getName(),
                        System.getProperty("java.class.path"),
                        Map.of("GOOGLE_CLOUD_PROJECT", ""),
                        Files.createTempDirectory("users-refuse"),
                        List.of("-Xmx64m"))
                    .close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GOOGLE_CLOUD_PROJECT is not set");
  }
}
