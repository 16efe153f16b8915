package dev.cirrus.shared.ratelimit;

import dev.cirrus.shared.config.RateBudget;
import dev.cirrus.shared.config.RateLimitPolicy;
import dev.cirrus.shared.config.RouteClass;
import dev.cirrus.shared.error.TooManyRequests;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate rule of the front door: one token from the caller's bucket and one from their address's
 * for the route's class, before any Firestore or Cloud Storage work. When the buckets cannot be
 * reached the request goes on (limits fail open, and that is logged and counted): an outage of the
 * limiter must not become an outage of the API.
 */
public final class RateLimitGate {
  /**
   * What a request was told.
   *
   * @param policy the budget's name ({@code reads}, {@code writes}, {@code uploads})
   * @param budget the caller's budget for it
   * @param decision what the buckets said, absent when limits are off or failed open
   * @param failure why the limiter could not be asked, when it failed open
   */
  public record Verdict(
      String policy,
      RateBudget budget,
      Optional<RateLimiter.Decision> decision,
      Optional<String> failure) {
    public boolean failedOpen() {
      return failure.isPresent();
    }
  }

  private final RateLimitPolicy policy;
  private final RateLimiter limiter;
  private final AtomicLong limited = new AtomicLong();
  private final AtomicLong failedOpen = new AtomicLong();

  public RateLimitGate(RateLimitPolicy policy, RateLimiter limiter) {
    this.policy = policy;
    this.limiter = limiter;
  }

  /** A gate that limits nothing: for tests and composition roots without a limiter. */
  public static RateLimitGate off() {
    return new RateLimitGate(
        RateLimitPolicy.OFF,
        buckets -> {
          throw new IllegalStateException("rate limits are off");
        });
  }

  /**
   * @param uid the verified caller
   * @param address the caller's address bucket ({@link ClientAddress})
   * @throws TooManyRequests when either bucket is empty
   */
  public Verdict check(RouteClass routeClass, String uid, String address) {
    String name = routeClass.name().toLowerCase(Locale.ROOT) + "s";
    RateBudget mine = policy.forUser(routeClass);
    if (!policy.enabled()) {
      return new Verdict(name, mine, Optional.empty(), Optional.empty());
    }
    List<Bucket> buckets =
        List.of(
            new Bucket("rl:" + name + ":user:" + uid, mine),
            new Bucket("rl:" + name + ":addr:" + address, policy.forAddress(routeClass)));
    RateLimiter.Decision decision;
    try {
      decision = limiter.take(buckets);
    } catch (RuntimeException e) {
      failedOpen.incrementAndGet();
      return new Verdict(name, mine, Optional.empty(), Optional.of(String.valueOf(e.getMessage())));
    }
    if (!decision.allowed()) {
      limited.incrementAndGet();
      Duration wait =
          decision.retryAfter().isZero() ? Duration.ofSeconds(1) : decision.retryAfter();
      throw new TooManyRequests(
          "too many " + name + "; try again in " + seconds(wait) + " s",
          wait,
          name,
          mine.capacity(),
          mine.refill());
    }
    return new Verdict(name, mine, Optional.of(decision), Optional.empty());
  }

  /** Whole seconds, rounded up: what {@code Retry-After} and the RateLimit fields carry. */
  public static long seconds(Duration d) {
    return Math.max(0, (d.toMillis() + 999) / 1000);
  }

  public long limitedCount() {
    return limited.get();
  }

  public long failedOpenCount() {
    return failedOpen.get();
  }
}
