package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link UserCache} in one process, with Redis's expiries and eviction marks on a test's clock. */
public final class InMemoryUserCache implements UserCache {
  /** A record, or an eviction's mark when {@code user} is null, until {@code expiresAt}. */
  private record Entry(UserRecord user, Instant expiresAt) {}

  private final Clock clock;
  private final Duration ttl;
  private final Duration evictionMark;
  private final Map<String, Entry> entries = new HashMap<>();

  public InMemoryUserCache(Clock clock, Duration ttl, Duration evictionMark) {
    this.clock = clock;
    this.ttl = ttl;
    this.evictionMark = evictionMark;
  }

  @Override
  public synchronized Optional<UserRecord> find(String uid) {
    return live(uid).map(Entry::user);
  }

  @Override
  public synchronized void remember(UserRecord user) {
    if (live(user.uid()).isEmpty()) {
      entries.put(user.uid(), new Entry(user, clock.instant().plus(ttl)));
    }
  }

  @Override
  public synchronized void writeThrough(UserRecord user) {
    Optional<Entry> current = live(user.uid());
    if (current.isEmpty() || current.get().user() != null) {
      entries.put(user.uid(), new Entry(user, clock.instant().plus(ttl)));
    }
  }

  @Override
  public synchronized void evict(String uid) {
    entries.put(uid, new Entry(null, clock.instant().plus(evictionMark)));
  }

  private Optional<Entry> live(String uid) {
    Entry e = entries.get(uid);
    if (e == null || !e.expiresAt().isAfter(clock.instant())) {
      entries.remove(uid);
      return Optional.empty();
    }
    return Optional.of(e);
  }
}
