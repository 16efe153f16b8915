package dev.cirrus.shared.error;

import java.time.Duration;

/**
 * The caller spent a rate budget; it may try again after {@link #retryAfter()}.
 *
 * @see dev.cirrus.shared.ratelimit.RateLimitGate
 */
public final class TooManyRequests extends CirrusException {
  private final Duration retryAfter;
  private final String policy;
  private final long quota;
  private final Duration window;

  /**
   * @param policy the name of the budget that was spent, such as {@code reads}
   * @param quota how many requests that budget holds
   * @param window the time it takes to refill
   */
  public TooManyRequests(
      String detail, Duration retryAfter, String policy, long quota, Duration window) {
    super("rate-limited", detail);
    this.retryAfter = retryAfter;
    this.policy = policy;
    this.quota = quota;
    this.window = window;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public String policy() {
    return policy;
  }

  public long quota() {
    return quota;
  }

  public Duration window() {
    return window;
  }
}
