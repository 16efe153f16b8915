package dev.cirrus.shared.users;

/**
 * Storage a user has used and may use. Bytes reserved by uploads in flight are not kept here but
 * summed from those uploads: one counter per user would be a hot document under parallel uploads.
 */
public record Quota(long usedBytes, long fileCount, long limitBytes) {
  public Quota {
    if (usedBytes < 0 || fileCount < 0 || limitBytes < 0) {
      throw new IllegalArgumentException("quota figures are never negative");
    }
  }

  public static Quota empty(long limitBytes) {
    return new Quota(0, 0, limitBytes);
  }
}
