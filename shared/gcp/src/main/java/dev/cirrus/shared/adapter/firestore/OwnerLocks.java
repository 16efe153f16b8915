package dev.cirrus.shared.adapter.firestore;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per owner, never shared between owners: with striped locks, one user's flood of requests
 * blocked every other user whose id fell on the same stripe. A lock lives while some thread holds a
 * reference to it (weak values), so idle owners cost no memory.
 */
final class OwnerLocks {
  private final LoadingCache<String, Lock> locks =
      Caffeine.newBuilder().weakValues().build(owner -> new ReentrantLock());

  Lock of(String ownerUid) {
    return locks.get(ownerUid);
  }
}
