package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.processing.Claim;
import dev.cirrus.shared.processing.EventClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link EventClaims} in memory, for tests: the same rules ({@link Claim}) as Firestore's. */
public final class InMemoryEventClaims implements EventClaims {
  private final Map<String, Claim> claims = new HashMap<>();
  private final Map<String, Instant> expireAt = new HashMap<>();

  @Override
  public synchronized State claim(String key, String holder, Instant now, Duration lease) {
    Claim.Decision decision = Claim.claim(Optional.ofNullable(claims.get(key)), holder, now, lease);
    decision.write().ifPresent(c -> claims.put(key, c));
    expireAt.putIfAbsent(key, now.plus(RETENTION));
    return decision.state();
  }

  @Override
  public synchronized void finish(String key, String holder, String outcome, Instant now) {
    Claim current = claims.get(key);
    claims.put(key, new Claim(true, holder, now, current == null ? 1 : current.attempts()));
  }

  @Override
  public synchronized void release(String key, String holder) {
    Claim.release(Optional.ofNullable(claims.get(key)), holder).ifPresent(c -> claims.put(key, c));
  }

  @Override
  public synchronized int purgeExpired(Instant now, int limit) {
    List<String> expired =
        expireAt.entrySet().stream()
            .filter(e -> e.getValue().isBefore(now))
            .map(Map.Entry::getKey)
            .limit(limit)
            .toList();
    expired.forEach(
        key -> {
          claims.remove(key);
          expireAt.remove(key);
        });
    return expired.size();
  }

  @Override
  public synchronized int forget(String keyPrefix, int limit) {
    List<String> page =
        claims.keySet().stream().filter(k -> k.startsWith(keyPrefix)).limit(limit).toList();
    page.forEach(
        key -> {
          claims.remove(key);
          expireAt.remove(key);
        });
    return page.size();
  }
}
