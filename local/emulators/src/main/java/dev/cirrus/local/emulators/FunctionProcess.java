package dev.cirrus.local.emulators;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one function in its own JVM behind the Functions Framework's executors, on loopback only
 * ({@link LoopbackFunctionServer}), with the environment production would give it: the same entry
 * point, no-arg constructor and configuration path as a deployed function.
 */
public final class FunctionProcess {
  private FunctionProcess() {}

  /** An HTTP function; see {@link #start(String, String, String, Map, Path, List)}. */
  public static EmulatorProcess start(
      String target,
      String classpath,
      Map<String, String> env,
      Path workDir,
      List<String> jvmOptions)
      throws IOException {
    return start(target, "http", classpath, env, workDir, jvmOptions);
  }

  /**
   * @param signature {@code http} or {@code cloudevent}
   * @param classpath where the function and the invoker are; tests pass their own class path
   */
  public static EmulatorProcess start(
      String target,
      String signature,
      String classpath,
      Map<String, String> env,
      Path workDir,
      List<String> jvmOptions)
      throws IOException {
    int port = Emulators.freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            classpath,
            LoopbackFunctionServer.class.getName(),
            target,
            signature,
            Integer.toString(port)));
    return EmulatorProcess.start(
        target.substring(target.lastIndexOf('.') + 1),
        command,
        workDir,
        env,
        Emulators.LOOPBACK + ":" + port,
        "/",
        false,
        Duration.ofSeconds(60));
  }
}
