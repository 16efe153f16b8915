package dev.cirrus.shared.notifications;

import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.notifications.NotificationStore.NotificationPage;
import dev.cirrus.shared.paging.Cursor;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The user-facing use cases: list one's notifications, mark them read. */
public final class NotificationService {
  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;

  /** Unread notifications marked per store call by {@link #readAll}. */
  static final int READ_ALL_BATCH = 500;

  private final NotificationStore store;
  private final Clock clock;

  public NotificationService(NotificationStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** {@code GET /v1/notifications} answer. */
  public record NotificationList(
      List<NotificationView> notifications, String nextPageToken, long unreadCount) {}

  public NotificationList list(
      Principal caller,
      Optional<String> unreadOnly,
      Optional<String> pageSize,
      Optional<String> pageToken) {
    boolean unread = unreadOnly.map(NotificationService::flag).orElse(false);
    int size = Cursor.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    Optional<Cursor> after =
        pageToken.map(token -> Cursor.fromToken(token, StoredNotification::isValidId));
    NotificationPage page = store.list(caller.uid(), unread, size, after);
    return new NotificationList(
        page.notifications().stream().map(NotificationView::of).toList(),
        page.next().map(Cursor::token).orElse(null),
        store.unreadCount(caller.uid()));
  }

  /** Marks one of the caller's notifications read; reading it again changes nothing. */
  public void read(Principal caller, String id) {
    if (!store.markRead(caller.uid(), StoredNotification.requireValidId(id), clock.instant())) {
      throw new NotFound("notification-not-found", "no such notification");
    }
  }

  /** Marks every unread notification of the caller read, however many there are. */
  public void readAll(Principal caller) {
    while (store.markAllRead(caller.uid(), clock.instant(), READ_ALL_BATCH) == READ_ALL_BATCH) {
      // another full batch may follow
    }
  }

  private static boolean flag(String raw) {
    return switch (raw) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw BadRequest.invalidParameter("unreadOnly", "must be true or false");
    };
  }
}
