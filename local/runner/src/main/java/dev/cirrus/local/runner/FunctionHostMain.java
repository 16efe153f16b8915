package dev.cirrus.local.runner;

import com.google.cloud.functions.invoker.runner.Invoker;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several functions in one JVM, each behind its own Functions Framework invoker and port, as
 * Cloud Run runs each in its own container: one JVM instead of one per function keeps the local
 * stack's memory small. Arguments: {@code name=target:signature:port}. Prints {@code READY} when
 * every invoker listens.
 */
public final class FunctionHostMain {
  private FunctionHostMain() {}

  public static void main(String[] args) throws Exception {
    List<Invoker> invokers = new ArrayList<>();
    for (String arg : args) {
      String[] nameAndRest = arg.split("=", 2);
      String[] parts = nameAndRest[1].split(":");
      Invoker invoker =
          new Invoker(
              Integer.parseInt(parts[2]),
              parts[0],
              parts[1],
              FunctionHostMain.class.getClassLoader());
      invoker.startTestServer();
      invokers.add(invoker);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Invoker invoker : invokers) {
                    try {
                      invoker.stopServer();
                    } catch (Exception e) {
                      System.err.println("stopping invoker: " + e);
                    }
                  }
                }));
    System.out.println("READY " + invokers.size());
    System.out.flush();
    Thread.currentThread().join();
  }
}
