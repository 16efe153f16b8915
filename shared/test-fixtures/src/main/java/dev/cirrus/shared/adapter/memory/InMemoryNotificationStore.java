package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link NotificationStore} in memory, held to the same contract test as Firestore's. */
public final class InMemoryNotificationStore implements NotificationStore {
  private static final Comparator<StoredNotification> NEWEST_FIRST =
      Comparator.comparing(StoredNotification::createdAt)
          .thenComparing(StoredNotification::id)
          .reversed();

  private final Map<String, Map<String, StoredNotification>> byUser = new HashMap<>();

  @Override
  public synchronized int createMissing(List<Addressed> notifications) {
    if (notifications.size() > 500) {
      throw new IllegalArgumentException("at most 500 notifications at a time");
    }
    int written = 0;
    for (Addressed a : notifications) {
      Map<String, StoredNotification> mine = byUser.computeIfAbsent(a.uid(), u -> new HashMap<>());
      if (mine.putIfAbsent(a.notification().id(), a.notification()) == null) {
        written++;
      }
    }
    return written;
  }

  @Override
  public synchronized NotificationPage list(
      String uid, boolean unreadOnly, int pageSize, Optional<Cursor> after) {
    List<StoredNotification> fetched = new ArrayList<>();
    for (StoredNotification n : sorted(uid)) {
      if (unreadOnly && !n.unread()) {
        continue;
      }
      if (after.isPresent() && !isAfter(n, after.get())) {
        continue;
      }
      fetched.add(n);
      if (fetched.size() > pageSize) {
        break;
      }
    }
    return NotificationPage.of(fetched, pageSize);
  }

  private static boolean isAfter(StoredNotification n, Cursor cursor) {
    int byTime = n.createdAt().compareTo(cursor.createdAt());
    return byTime < 0 || (byTime == 0 && n.id().compareTo(cursor.id()) < 0);
  }

  @Override
  public synchronized Optional<StoredNotification> find(String uid, String id) {
    return Optional.ofNullable(byUser.getOrDefault(uid, Map.of()).get(id));
  }

  @Override
  public synchronized long unreadCount(String uid) {
    return byUser.getOrDefault(uid, Map.of()).values().stream()
        .filter(StoredNotification::unread)
        .count();
  }

  @Override
  public synchronized boolean markRead(String uid, String id, Instant at) {
    Map<String, StoredNotification> mine = byUser.getOrDefault(uid, Map.of());
    StoredNotification n = mine.get(id);
    if (n == null) {
      return false;
    }
    if (n.unread()) {
      mine.put(id, read(n, at));
    }
    return true;
  }

  @Override
  public synchronized int markAllRead(String uid, Instant at, int limit) {
    int marked = 0;
    for (StoredNotification n : sorted(uid)) {
      if (marked == limit) {
        break;
      }
      if (n.unread()) {
        byUser.get(uid).put(n.id(), read(n, at));
        marked++;
      }
    }
    return marked;
  }

  private List<StoredNotification> sorted(String uid) {
    List<StoredNotification> all = new ArrayList<>(byUser.getOrDefault(uid, Map.of()).values());
    all.sort(NEWEST_FIRST);
    return all;
  }

  private static StoredNotification read(StoredNotification n, Instant at) {
    return new StoredNotification(
        n.id(), n.type(), n.title(), n.body(), n.data(), n.createdAt(), Optional.of(at));
  }

  @Override
  public synchronized int deleteSome(String uid, int limit) {
    Map<String, StoredNotification> mine = byUser.getOrDefault(uid, new HashMap<>());
    List<String> page = mine.keySet().stream().limit(limit).toList();
    page.forEach(mine::remove);
    return page.size();
  }

  /** Whether the user has any notification left. */
  public synchronized boolean holdsAnyOf(String uid) {
    return !byUser.getOrDefault(uid, Map.of()).isEmpty();
  }
}
