package dev.cirrus.shared.exports;

import java.time.Instant;
import java.util.List;

/** The head of {@code data.json}: who the export is of, their settings and their quota. */
public record ExportProfile(
    String uid,
    String email,
    Instant createdAt,
    List<String> mutedTypes,
    long usedBytes,
    long fileCount,
    long quotaBytes,
    Instant exportedAt) {
  public ExportProfile {
    mutedTypes = List.copyOf(mutedTypes);
  }
}
