package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code local/run}: starts the local stack on the ports in {@code emulator-config/firebase.json},
 * prints where everything is, writes {@code emulator-config/.local/endpoints.env}, and stops it all
 * on Ctrl-C.
 */
public final class LocalStackMain {
  static final String PROJECT_ID = "demo-cirrus";

  private LocalStackMain() {}

  public static void main(String[] args) throws Exception {
    ProjectLayout layout = ProjectLayout.locate();
    JsonNode emulators =
        new ObjectMapper()
            .readTree(layout.emulatorConfig().resolve("firebase.json").toFile())
            .path("emulators");
    LocalStack.Ports ports =
        new LocalStack.Ports(
            emulators.path("gateway").path("port").asInt(8000),
            emulators.path("firestore").path("port").asInt(),
            emulators.path("pubsub").path("port").asInt(),
            emulators.path("auth").path("port").asInt(),
            emulators.path("storage").path("port").asInt(),
            emulators.path("functions").path("port").asInt(8100));
    for (int port : new int[] {ports.gateway(), ports.firestore(), ports.pubsub(), ports.auth()}) {
      requireFree(port);
    }
    Path state = layout.emulatorConfig().resolve(".local");
    StackData.Seed seed = seed(args);
    System.out.println(
        "Starting Cirrus locally (project "
            + PROJECT_ID
            + seed.dir().map(d -> ", from the export in " + d).orElse("")
            + ") ...");
    // Stopped while starting: Ctrl-C signals the whole process group, but a script's SIGTERM
    // reaches only this JVM, and the stack that would close the children does not exist yet.
    Thread stopWhileStarting = new Thread(LocalStackMain::endChildren);
    Runtime.getRuntime().addShutdownHook(stopWhileStarting);
    LocalStack stack =
        LocalStack.start(
            layout,
            PROJECT_ID,
            ports,
            FunctionCatalog.functions(),
            state,
            System.out,
            Map.of(),
            LocalStack.Retry.AS_DEPLOYED,
            seed);
    Runtime.getRuntime().removeShutdownHook(stopWhileStarting);
    Path endpointsFile = state.resolve("endpoints.env");
    stack.endpoints().write(endpointsFile);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Cirrus ...");
                  stack.close();
                  stopped.countDown();
                }));
    System.out.println();
    System.out.println(
        "Cirrus is up. Endpoints (also in " + layout.root().relativize(endpointsFile) + "):");
    stack.endpoints().asEnvironment().forEach((k, v) -> System.out.printf("  %-28s %s%n", k, v));
    stack.functionUrls().forEach((k, v) -> System.out.printf("  function %-19s %s%n", k, v));
    System.out.println("  pushes sent (FCM fake)        " + stack.endpoints().pushesUrl());
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
  }

  /**
   * {@code --import DIR}: start from what {@code local/export DIR} saved; nothing else is taken.
   */
  private static StackData.Seed seed(String[] args) throws IOException {
    if (args.length == 0) {
      return StackData.Seed.EMPTY;
    }
    if (args.length == 2 && args[0].equals("--import")) {
      try {
        return StackData.Seed.from(Path.of(args[1]), PROJECT_ID);
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        System.exit(2);
      }
    }
    System.err.println("usage: local/run [--import DIR]");
    System.exit(2);
    return StackData.Seed.EMPTY;
  }

  /** Asks every process this one started to stop, then ends those still there after 10 s. */
  private static void endChildren() {
    List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
    children.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle child : children) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        child.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        child.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.destroyForcibly();
      }
    }
  }

  private static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IOException(
          "port " + port + " is in use: stop what holds it or change emulator-config/firebase.json",
          e);
    }
  }
}
