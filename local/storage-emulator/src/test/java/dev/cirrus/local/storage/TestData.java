package dev.cirrus.local.storage;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures: {@code shared/testdata} (beside the repository, here and in CI) and clients. */
public final class TestData {
  private TestData() {}

  /** Google's Java client, pointed at {@code emulator} as apps and functions point it. */
  public static com.google.cloud.storage.Storage javaClient(StorageEmulator emulator) {
    return com.google.cloud.storage.StorageOptions.newBuilder()
        .setHost(emulator.url())
        .setProjectId("demo-cirrus-test")
        .setCredentials(com.google.cloud.NoCredentials.getInstance())
        .build()
        .getService();
  }

  public static Path dir(String name) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("testdata").resolve(name);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/testdata/" + name + " not found beside the repository");
  }
}
