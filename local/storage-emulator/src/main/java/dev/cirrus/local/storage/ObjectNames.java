package dev.cirrus.local.storage;

import java.nio.charset.StandardCharsets;

/** Cloud Storage's object naming rules. */
public final class ObjectNames {
  private ObjectNames() {}

  /**
   * @throws StorageError 400 when {@code name} breaks Cloud Storage's object naming rules
   */
  public static void validate(String name) {
    if (name == null || name.isEmpty()) {
      throw StorageError.required("Required: object name");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > 1024
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('\r') >= 0
        || name.indexOf('\n') >= 0
        || name.startsWith(".well-known/acme-challenge/")) {
      throw StorageError.invalid("The specified object name is not valid.");
    }
  }
}
