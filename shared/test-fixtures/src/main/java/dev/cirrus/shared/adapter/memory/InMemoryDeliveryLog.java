package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.notifications.DeliveryLog;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@link DeliveryLog} in memory, held to the same contract test as Firestore's. */
public final class InMemoryDeliveryLog implements DeliveryLog {
  private final Map<String, Set<String>> delivered = new HashMap<>();

  @Override
  public synchronized Set<String> delivered(String batchKey) {
    return Set.copyOf(delivered.getOrDefault(batchKey, Set.of()));
  }

  @Override
  public synchronized void record(String batchKey, Collection<String> deviceKeys, Instant now) {
    delivered.computeIfAbsent(batchKey, k -> new HashSet<>()).addAll(deviceKeys);
  }

  @Override
  public synchronized int forget(String uid, int limit) {
    int changed = 0;
    for (Set<String> devices : delivered.values()) {
      if (changed == limit) {
        break;
      }
      if (devices.removeIf(key -> key.startsWith(uid + "/"))) {
        changed++;
      }
    }
    return changed;
  }
}
