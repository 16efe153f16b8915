package dev.cirrus.shared.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.adapter.memory.InMemoryUserCache;
import dev.cirrus.shared.adapter.memory.UnreachableUserCache;
import dev.cirrus.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TieredUserCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final InMemoryUserCache shared =
      new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
  private final List<String> reports = new ArrayList<>();
  private final TieredUserCache thisInstance =
      new TieredUserCache(shared, Duration.ofSeconds(1), 100, clock, reports::add);
  private final TieredUserCache otherInstance =
      new TieredUserCache(shared, Duration.ofSeconds(1), 100, clock, reports::add);

  private static UserRecord alice(long usedBytes) {
    return new UserRecord(
        "alice", Optional.empty(), Settings.DEFAULT, new Quota(usedBytes, 0, 5000), Instant.EPOCH);
  }

  @Test
  void anotherInstancesEvictionReachesThisInstanceWithinTheNearTtl() {
    thisInstance.remember(alice(0));
    otherInstance.evict("alice");
    shared.remember(alice(0)); // a late reader, refused by the eviction's mark
    assertThat(thisInstance.find("alice")).contains(alice(0));
    clock.advance(Duration.ofMillis(1001));
    assertThat(thisInstance.find("alice")).isEmpty();
  }

  @Test
  void anEvictionHereIsSeenHereAtOnce() {
    thisInstance.remember(alice(0));
    thisInstance.evict("alice");
    assertThat(thisInstance.find("alice")).isEmpty();
  }

  @Test
  void aRecordFoundInTheSharedTierIsKeptNearForTheNextRead() {
    otherInstance.remember(alice(3));
    assertThat(thisInstance.find("alice")).contains(alice(3));
    shared.evict("alice");
    assertThat(thisInstance.find("alice")).contains(alice(3));
  }

  @Test
  void withNoNearTtlEveryReadAsksTheSharedTier() {
    TieredUserCache direct = new TieredUserCache(shared, Duration.ZERO, 100, clock, reports::add);
    direct.remember(alice(0));
    shared.evict("alice");
    assertThat(direct.find("alice")).isEmpty();
  }

  @Test
  void aFailingSharedTierIsReportedAtMostOnceATenSecondsWithTheCount() {
    UserCache down = new UnreachableUserCache("Redis at 10.0.0.3:6379 failed: down");
    TieredUserCache tiered = new TieredUserCache(down, Duration.ZERO, 100, clock, reports::add);
    tiered.find("alice");
    tiered.find("alice");
    tiered.evict("alice");
    clock.advance(TieredUserCache.REPORT_EVERY);
    tiered.find("alice");
    assertThat(tiered.failureCount()).isEqualTo(4);
    assertThat(reports).hasSize(2);
    assertThat(reports.get(0)).contains("1 failure,").contains("in find");
    assertThat(reports.get(1)).contains("3 failures").contains("in find").contains("down");
  }
}
