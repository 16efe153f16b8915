package dev.cirrus.shared.notifications;

import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: users' in-app notifications, {@code users/{uid}/notifications/{id}}. */
public interface NotificationStore {

  /** A notification and whose it is. */
  record Addressed(String uid, StoredNotification notification) {}

  /** A page, newest first, and the cursor after its last notification if more may follow. */
  record NotificationPage(List<StoredNotification> notifications, Optional<Cursor> next) {
    public NotificationPage {
      notifications = List.copyOf(notifications);
    }

    /** The page in {@code fetched}, which holds up to one notification more than a page. */
    public static NotificationPage of(List<StoredNotification> fetched, int pageSize) {
      return new NotificationPage(
          fetched.subList(0, Math.min(pageSize, fetched.size())),
          Cursor.after(fetched, pageSize, StoredNotification::createdAt, StoredNotification::id));
    }
  }

  /**
   * Writes the notifications that do not exist yet; one that exists, read or not, stays as it is.
   * At most 500 at a time.
   *
   * @return how many were written
   */
  int createMissing(List<Addressed> notifications);

  /** The user's notifications newest first, all or only the unread ones. */
  NotificationPage list(String uid, boolean unreadOnly, int pageSize, Optional<Cursor> after);

  Optional<StoredNotification> find(String uid, String id);

  /** How many of the user's notifications are unread, counted by the store. */
  long unreadCount(String uid);

  /**
   * Marks the notification read at {@code at}, unless it was read before: the first time stays.
   *
   * @return false when the user has no such notification
   */
  boolean markRead(String uid, String id, Instant at);

  /**
   * Marks up to {@code limit} of the user's unread notifications read.
   *
   * @return how many it marked; fewer than {@code limit} means none is left unread
   */
  int markAllRead(String uid, Instant at, int limit);

  /**
   * Deletes up to {@code limit} of the user's notifications.
   *
   * @return how many it deleted: fewer than {@code limit} when none are left
   */
  int deleteSome(String uid, int limit);
}
