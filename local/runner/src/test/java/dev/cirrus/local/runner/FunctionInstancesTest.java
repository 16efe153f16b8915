package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cirrus.local.emulators.EmulatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor of the function host, over a stand-in process that only sleeps. */
class FunctionInstancesTest {
  @TempDir Path dir;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<EmulatorProcess> launched = new CopyOnWriteArrayList<>();

  private FunctionInstances instances() {
    return instances(Duration.ZERO);
  }

  /** Instances that take {@code startup} to become ready. */
  private FunctionInstances instances(Duration startup) {
    return new FunctionInstances(
        replacement -> {
          long started = System.nanoTime();
          EmulatorProcess p =
              EmulatorProcess.start(
                  "sleeper",
                  List.of("sleep", "600"),
                  dir,
                  Map.of(),
                  "none",
                  () -> System.nanoTime() - started >= startup.toNanos(),
                  Duration.ofSeconds(10));
          launched.add(p);
          return p;
        },
        lines::add);
  }

  @Test
  void anInstanceThatDiesIsReplacedAndTheReplacementServes() throws Exception {
    try (FunctionInstances instances = instances()) {
      instances.start();
      long first = instances.pid();
      assertThat(instances.awaitServing(Duration.ofSeconds(1))).isTrue();

      ProcessHandle.of(first).orElseThrow().destroyForcibly();

      assertThat(instances.awaitServing(Duration.ofSeconds(10))).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> instances.replacements() == 1);
      assertThat(instances.pid()).isNotZero().isNotEqualTo(first);
      assertThat(ProcessHandle.of(instances.pid()).map(ProcessHandle::isAlive)).contains(true);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(String.join("\n", lines))
                      .contains("exited with 137 (pid " + first + ")")
                      .contains("replaced in"));
    }
  }

  @Test
  void closingStopsTheInstanceAndReplacesNothing() throws Exception {
    FunctionInstances instances = instances();
    instances.start();
    long pid = instances.pid();

    instances.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    Thread.sleep(300);
    assertThat(launched).hasSize(1);
    assertThat(instances.awaitServing(Duration.ofMillis(100))).isFalse();
    assertThat(lines).isEmpty();
  }

  @Test
  void thePendingWindowIsTenSecondsOrThreeAndAHalfStartupsWhicheverIsGreater() throws Exception {
    try (FunctionInstances quick = instances()) {
      assertThat(quick.pendingWindow()).isEqualTo(Duration.ofSeconds(10));
      quick.start();
      assertThat(quick.pendingWindow())
          .as("starts in milliseconds")
          .isEqualTo(Duration.ofSeconds(10));
    }
    try (FunctionInstances slow = instances(Duration.ofMillis(3200))) {
      slow.start();
      assertThat(slow.pendingWindow())
          .as("3.5 x a startup of 3.2 s and a little")
          .isBetween(Duration.ofMillis(11_200), Duration.ofMillis(12_500));
    }
  }
}
