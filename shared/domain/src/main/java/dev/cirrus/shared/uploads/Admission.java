package dev.cirrus.shared.uploads;

import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.users.Quota;

/**
 * Whether a new upload fits: the rule the quota and the pending cap impose, as plain code. The
 * store applies it inside its transaction; the service applies it first to what it reads without
 * one, so that a user at the limit costs no Cloud Storage session.
 *
 * @param quota the owner's quota (a new owner's default when they have no document yet)
 * @param reservedBytes what the owner's uploads in flight hold, abandoned sessions left out
 * @param inFlight how many uploads the owner has in flight, abandoned sessions left out
 */
public record Admission(Quota quota, long reservedBytes, int inFlight) {

  /**
   * @throws Conflict {@code too-many-pending-uploads} or {@code quota-exceeded}
   */
  public void require(long size, int maxPending) {
    if (inFlight >= maxPending) {
      throw new Conflict(
          "too-many-pending-uploads",
          "at most " + maxPending + " uploads may be in flight; finish or abort one");
    }
    long free = quota.limitBytes() - quota.usedBytes() - reservedBytes;
    if (size > free) {
      throw new Conflict(
          "quota-exceeded",
          "the upload needs " + size + " bytes; " + Math.max(0, free) + " are free");
    }
  }
}
