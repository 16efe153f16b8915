package dev.cirrus.local.storage;

import java.util.regex.Pattern;

/** Cloud Storage's bucket naming rules, dotted (domain-named) buckets included. */
final class BucketNames {
  private static final Pattern CHARACTERS = Pattern.compile("^[a-z0-9][a-z0-9._-]*[a-z0-9]$");
  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  private BucketNames() {}

  /**
   * @throws StorageError 400 when {@code name} breaks a rule
   */
  static void validate(String name) {
    if (name == null || name.isEmpty()) {
      throw StorageError.required("Required: bucket name");
    }
    boolean dotted = name.indexOf('.') >= 0;
    boolean valid =
        name.length() >= 3
            && name.length() <= (dotted ? 222 : 63)
            && CHARACTERS.matcher(name).matches()
            && !IPV4.matcher(name).matches()
            && !name.startsWith("goog")
            && !name.contains("google")
            && !name.contains("g00gle")
            && !name.contains("..")
            && !name.contains(".-")
            && !name.contains("-.");
    if (valid && dotted) {
      for (String part : name.split("\\.")) {
        valid &= !part.isEmpty() && part.length() <= 63;
      }
    }
    if (!valid) {
      throw StorageError.invalid("Invalid bucket name: '" + name + "'");
    }
  }
}
