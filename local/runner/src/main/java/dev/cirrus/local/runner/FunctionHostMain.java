package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.LoopbackFunctionServer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several functions in one JVM, each behind the Functions Framework's executors on its own
 * loopback port, as Cloud Run runs each in its own container: one JVM instead of one per function
 * keeps the local stack's memory small. Arguments: {@code name=target:signature:port}. Prints
 * {@code READY} when every function listens.
 */
public final class FunctionHostMain {
  private FunctionHostMain() {}

  public static void main(String[] args) throws Exception {
    List<LoopbackFunctionServer> servers = new ArrayList<>();
    for (String arg : args) {
      String[] nameAndRest = arg.split("=", 2);
      String[] parts = nameAndRest[1].split(":");
      servers.add(
          LoopbackFunctionServer.start(
              Integer.parseInt(parts[2]),
              parts[0],
              parts[1],
              FunctionHostMain.class.getClassLoader()));
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (LoopbackFunctionServer server : servers) {
                    try {
                      server.close();
                    } catch (Exception e) {
                      System.err.println("stopping a function server: " + e);
                    }
                  }
                }));
    System.out.println("READY " + servers.size());
    System.out.flush();
    Thread.currentThread().join();
  }
}
