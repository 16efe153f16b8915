package dev.cirrus.shared.users;

import dev.cirrus.shared.auth.Standing;
import dev.cirrus.shared.config.Limits;

/**
 * The most an account may store by its standing, whatever its quota document says: accounts cost
 * nothing to make, so storage follows what an account has proven (see {@link Limits} for the
 * defaults and why).
 */
public final class QuotaTier {
  private QuotaTier() {}

  public static long capFor(Limits limits, Standing standing) {
    return switch (standing) {
      case VERIFIED -> Long.MAX_VALUE;
      case UNVERIFIED -> limits.unverifiedQuotaBytes();
      case ANONYMOUS -> limits.anonymousQuotaBytes();
    };
  }

  /** The limit an account of this standing can use. */
  public static long effectiveLimit(Quota quota, Limits limits, Standing standing) {
    return Math.min(quota.limitBytes(), capFor(limits, standing));
  }
}
