package dev.cirrus.shared.users;

import java.util.List;

/** The body of {@code GET /v1/me}. */
public record MeView(
    String uid, String email, List<String> roles, SettingsView settings, QuotaView quota) {

  /** The settings as clients see them. */
  public record SettingsView(List<String> mutedTypes) {}

  /** The quota as clients see them (reservations are an internal detail). */
  public record QuotaView(long usedBytes, long fileCount, long limitBytes) {}
}
