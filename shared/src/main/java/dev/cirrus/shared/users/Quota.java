package dev.cirrus.shared.users;

/** Storage a user has used and may use; {@code reservedBytes} is held by uploads in flight. */
public record Quota(long usedBytes, long fileCount, long reservedBytes, long limitBytes) {
  public Quota {
    if (usedBytes < 0 || fileCount < 0 || reservedBytes < 0 || limitBytes < 0) {
      throw new IllegalArgumentException("quota figures are never negative");
    }
  }

  public static Quota empty(long limitBytes) {
    return new Quota(0, 0, 0, limitBytes);
  }
}
