package dev.cirrus.shared.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The instance's own cache in front of the shared one. The near tier keeps a record for {@code
 * nearTtl} only: another instance's write reaches this one's readers within that time, through the
 * shared tier (which every writer evicts). A shared tier that fails is a miss, never an error: the
 * read goes to Firestore, the failure is counted and reported (at most once per {@link
 * #REPORT_EVERY}, with how many there were), like the rate limits failing open.
 */
public final class TieredUserCache implements UserCache {
  /** How often a failing shared cache is reported, at most. */
  public static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private final UserCache shared;
  private final Cache<String, UserRecord> near;
  private final Clock clock;
  private final Consumer<String> report;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong unreported = new AtomicLong();
  private volatile Instant lastReport = Instant.MIN;

  /**
   * @param nearTtl how long this instance keeps a record; zero keeps none
   * @param report where a failure of the shared tier is told (the instance's log)
   */
  public TieredUserCache(
      UserCache shared, Duration nearTtl, long maximumSize, Clock clock, Consumer<String> report) {
    this.shared = shared;
    this.clock = clock;
    this.report = report;
    this.near =
        Caffeine.newBuilder()
            .maximumSize(nearTtl.isZero() ? 0 : maximumSize)
            .expireAfterWrite(Math.max(1, nearTtl.toNanos()), TimeUnit.NANOSECONDS)
            .ticker(
                () -> {
                  Instant now = clock.instant();
                  return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
            .executor(Runnable::run)
            .build();
  }

  @Override
  public Optional<UserRecord> find(String uid) {
    UserRecord here = near.getIfPresent(uid);
    if (here != null) {
      return Optional.of(here);
    }
    Optional<UserRecord> there;
    try {
      there = shared.find(uid);
    } catch (RuntimeException e) {
      failed("find", e);
      return Optional.empty();
    }
    there.ifPresent(user -> near.put(uid, user));
    return there;
  }

  @Override
  public void remember(UserRecord user) {
    near.put(user.uid(), user);
    try {
      shared.remember(user);
    } catch (RuntimeException e) {
      failed("remember", e);
    }
  }

  @Override
  public void writeThrough(UserRecord user) {
    near.put(user.uid(), user);
    try {
      shared.writeThrough(user);
    } catch (RuntimeException e) {
      failed("writeThrough", e);
    }
  }

  @Override
  public void evict(String uid) {
    near.invalidate(uid);
    try {
      shared.evict(uid);
    } catch (RuntimeException e) {
      // The shared record outlives this change until its expiry: reported, as every failure.
      failed("evict", e);
    }
  }

  /** How many times the shared tier failed since this instance started. */
  public long failureCount() {
    return failures.get();
  }

  private void failed(String step, RuntimeException e) {
    failures.incrementAndGet();
    long pending = unreported.incrementAndGet();
    Instant now = clock.instant();
    if (Duration.between(lastReport, now).compareTo(REPORT_EVERY) >= 0) {
      lastReport = now;
      unreported.addAndGet(-pending);
      report.accept(
          "user cache failed open ("
              + pending
              + (pending == 1 ? " failure" : " failures")
              + ", last in "
              + step
              + "): "
              + e.getMessage());
    }
  }
}
