package dev.cirrus.shared.adapter.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

class OwnerLocksTest {
  private final OwnerLocks locks = new OwnerLocks();

  @Test
  void oneOwnersHeldLockBlocksNoOtherOwner() {
    Lock busy = locks.of("flooding-user");
    busy.lock();
    try {
      for (int i = 0; i < 2_000; i++) {
        Lock other = locks.of("user-" + i);
        assertThat(other.tryLock()).as("user-" + i).isTrue();
        other.unlock();
      }
    } finally {
      busy.unlock();
    }
  }

  @Test
  void sameOwnerGetsTheSameLockWhileItIsHeld() throws Exception {
    Lock held = locks.of("alice");
    held.lock();
    try {
      System.gc(); // the held lock is strongly reachable: it must survive
      boolean acquiredElsewhere =
          CompletableFuture.supplyAsync(
                  () -> {
                    Lock again = locks.of("alice");
                    try {
                      return again.tryLock(50, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                      return true;
                    }
                  })
              .get();
      assertThat(acquiredElsewhere).isFalse();
    } finally {
      held.unlock();
    }
  }
}
