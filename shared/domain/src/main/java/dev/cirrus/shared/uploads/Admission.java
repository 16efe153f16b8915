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
 * @param daily what the owner started uploading today
 * @param closing whether the owner's account is being deleted: it takes no new upload
 */
public record Admission(
    Quota quota, long reservedBytes, int inFlight, DailyUploads daily, boolean closing) {

  /** An open account's. */
  public Admission(Quota quota, long reservedBytes, int inFlight, DailyUploads daily) {
    this(quota, reservedBytes, inFlight, daily, false);
  }

  /**
   * @return the owner's daily count with this upload in it, for the store to write
   * @throws Conflict {@code account-deleting}, {@code too-many-pending-uploads}, {@code
   *     quota-exceeded} or {@code daily-upload-limit}
   */
  public DailyUploads require(long size, AdmissionRules rules) {
    if (closing) {
      throw new Conflict("account-deleting", "this account is being deleted");
    }
    if (inFlight >= rules.maxPending()) {
      throw new Conflict(
          "too-many-pending-uploads",
          "at most " + rules.maxPending() + " uploads may be in flight; finish or abort one");
    }
    long limit = Math.min(quota.limitBytes(), rules.quotaCapBytes());
    long free = limit - quota.usedBytes() - reservedBytes;
    if (size > free) {
      throw new Conflict(
          "quota-exceeded",
          "the upload needs "
              + size
              + " bytes; "
              + Math.max(0, free)
              + " are free"
              + (limit < quota.limitBytes()
                  ? " (an anonymous account, or one whose email is not verified, may store less)"
                  : ""));
    }
    return daily.plus(size, rules);
  }
}
