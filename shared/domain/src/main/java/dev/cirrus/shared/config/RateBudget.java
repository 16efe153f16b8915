package dev.cirrus.shared.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token bucket: it holds at most {@code capacity} requests and refills all of them in {@code
 * refill}, so a client may burst to {@code capacity} and then go on at capacity/refill.
 */
public record RateBudget(long capacity, Duration refill) {
  private static final Pattern SPEC = Pattern.compile("\\s*(-?\\d+)\\s*/\\s*(-?\\d+)\\s*s\\s*");

  public RateBudget {
    if (capacity < 1 || refill.isNegative() || refill.isZero()) {
      throw new IllegalArgumentException(
          "a budget holds at least 1 and refills in a positive time");
    }
  }

  public double perSecond() {
    return capacity * 1000.0 / refill.toMillis();
  }

  /** {@code 300/60s}: 300 requests, refilled in 60 seconds. */
  static RateBudget parse(String variable, String spec) {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw new ConfigException(
          variable + " must be <requests>/<seconds>s, such as 300/60s, got: " + spec);
    }
    long capacity = Long.parseLong(m.group(1));
    long seconds = Long.parseLong(m.group(2));
    if (capacity < 1 || seconds < 1) {
      throw new ConfigException(
          variable + " must allow at least 1 request in at least 1 second, got: " + spec);
    }
    return new RateBudget(capacity, Duration.ofSeconds(seconds));
  }

  @Override
  public String toString() {
    return capacity + "/" + refill.toSeconds() + "s";
  }
}
