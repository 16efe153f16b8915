package dev.cirrus.local.storage;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Test fixtures: Google's test data (in this module's test resources) and clients. */
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

  /**
   * A folder of Google's test data, copied into this module's test resources with its license and
   * source note ({@code src/test/resources/testdata}), so a fresh clone needs nothing beside it.
   */
  public static Path dir(String name) {
    URL url = TestData.class.getResource("/testdata/" + name);
    if (url == null) {
      throw new IllegalStateException("testdata/" + name + " is not on the test class path");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
