package dev.cirrus.shared.files;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Where a file stands. The API lists the first three; a deleted file is a tombstone. */
public enum FileStatus {
  PROCESSING,
  READY,
  REJECTED,
  DELETED;

  /** The statuses {@code GET /v1/files?status=} accepts, and lists when given none. */
  public static final Set<FileStatus> LISTED = EnumSet.of(PROCESSING, READY, REJECTED);

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status a stored or requested word names, if any. */
  public static Optional<FileStatus> parse(String wireName) {
    for (FileStatus status : values()) {
      if (status.wireName().equals(wireName)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
