package dev.cirrus.local.storage;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code shared/testdata}, which lies beside the repository, here and in CI. */
public final class TestData {
  private TestData() {}

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
