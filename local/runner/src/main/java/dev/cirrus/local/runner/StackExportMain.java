package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.ProjectLayout;
import java.nio.file.Path;

/**
 * {@code local/export DIR}: saves the running local stack's data (Firestore, Auth, the storage
 * emulator's buckets) in DIR, for {@code local/run --import DIR}. The emulators are found through
 * the environment {@code local/run} wrote in {@code endpoints.env}.
 */
public final class StackExportMain {
  private StackExportMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: local/export DIR");
      System.exit(2);
    }
    Path target = Path.of(args[0]).toAbsolutePath();
    Path state = ProjectLayout.locate().emulatorConfig().resolve(".local");
    try {
      StackData.export(
          System.getenv("GOOGLE_CLOUD_PROJECT"),
          System.getenv("FIRESTORE_EMULATOR_HOST"),
          System.getenv("FIREBASE_AUTH_EMULATOR_HOST"),
          state.resolve("storage"),
          target);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
    System.out.println("Exported the local stack to " + target);
    System.out.println("Start from it with: local/run --import " + target);
  }
}
