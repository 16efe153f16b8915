package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

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
            emulators.path("pushBridge").path("port").asInt(8001),
            emulators.path("firestore").path("port").asInt(),
            emulators.path("pubsub").path("port").asInt(),
            emulators.path("auth").path("port").asInt(),
            emulators.path("storage").path("port").asInt(),
            emulators.path("functions").path("port").asInt(8100));
    for (int port :
        new int[] {
          ports.gateway(), ports.bridge(), ports.firestore(), ports.pubsub(), ports.auth()
        }) {
      requireFree(port);
    }
    Path state = layout.emulatorConfig().resolve(".local");
    System.out.println("Starting Cirrus locally (project " + PROJECT_ID + ") ...");
    LocalStack stack =
        LocalStack.start(layout, PROJECT_ID, ports, FunctionCatalog.functions(), state, System.out);
    Path endpointsFile = state.resolve("endpoints.env");
    stack.writeEndpoints(endpointsFile);
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
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
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
