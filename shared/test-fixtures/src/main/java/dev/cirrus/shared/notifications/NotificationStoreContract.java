package dev.cirrus.shared.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.notifications.NotificationStore.Addressed;
import dev.cirrus.shared.notifications.NotificationStore.NotificationPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link NotificationStore} adapter must have; one subclass per adapter. */
public abstract class NotificationStoreContract {
  protected abstract NotificationStore store();

  private final Instant t0 = Instant.parse("2026-12-01T09:00:00Z");

  private static String uid() {
    return "n-" + UUID.randomUUID();
  }

  private StoredNotification note(String key, int secondsAfter) {
    return new StoredNotification(
        StoredNotification.idFor(key),
        "file.ready",
        "Upload ready",
        key + " is ready.",
        Map.of("uploadId", key),
        t0.plusSeconds(secondsAfter),
        Optional.empty());
  }

  @Test
  void createMissingWritesOnceAndKeepsWhatExists() {
    String uid = uid();
    StoredNotification first = note("a", 0);
    assertThat(store().createMissing(List.of(new Addressed(uid, first)))).isEqualTo(1);
    assertThat(store().markRead(uid, first.id(), t0.plusSeconds(60))).isTrue();

    StoredNotification second = note("b", 1);
    int written =
        store().createMissing(List.of(new Addressed(uid, first), new Addressed(uid, second)));

    assertThat(written).isEqualTo(1);
    assertThat(store().find(uid, first.id()).orElseThrow().readAt()).contains(t0.plusSeconds(60));
    assertThat(store().find(uid, second.id()).orElseThrow()).isEqualTo(second);
  }

  @Test
  void theSameNotificationForTwoUsersIsTwoDocuments() {
    String a = uid();
    String b = uid();
    StoredNotification n = note("shared", 0);
    store().createMissing(List.of(new Addressed(a, n), new Addressed(b, n)));
    assertThat(store().find(a, n.id())).contains(n);
    assertThat(store().find(b, n.id())).contains(n);
    assertThat(store().find(uid(), n.id())).isEmpty();
  }

  @Test
  void listIsNewestFirstAndPagesWithoutGapsOrRepeats() {
    String uid = uid();
    List<Addressed> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // two at each second: the id breaks the tie
      all.add(new Addressed(uid, note("p" + i, i / 2)));
    }
    store().createMissing(all);

    List<StoredNotification> seen = new ArrayList<>();
    Optional<dev.cirrus.shared.paging.Cursor> after = Optional.empty();
    int pages = 0;
    do {
      NotificationPage page = store().list(uid, false, 3, after);
      seen.addAll(page.notifications());
      after = page.next();
      pages++;
    } while (after.isPresent());

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7);
    assertThat(seen).extracting(StoredNotification::id).doesNotHaveDuplicates();
    for (int i = 1; i < seen.size(); i++) {
      StoredNotification newer = seen.get(i - 1);
      StoredNotification older = seen.get(i);
      assertThat(
              newer.createdAt().isAfter(older.createdAt())
                  || (newer.createdAt().equals(older.createdAt())
                      && newer.id().compareTo(older.id()) > 0))
          .as("%s before %s", newer, older)
          .isTrue();
    }
  }

  @Test
  void unreadOnlyAndTheUnreadCountLeaveOutWhatWasRead() {
    String uid = uid();
    StoredNotification a = note("u1", 0);
    StoredNotification b = note("u2", 1);
    StoredNotification c = note("u3", 2);
    store()
        .createMissing(
            List.of(new Addressed(uid, a), new Addressed(uid, b), new Addressed(uid, c)));
    store().markRead(uid, b.id(), t0.plusSeconds(30));

    assertThat(store().unreadCount(uid)).isEqualTo(2);
    assertThat(store().list(uid, true, 10, Optional.empty()).notifications())
        .extracting(StoredNotification::id)
        .containsExactly(c.id(), a.id());
    assertThat(store().list(uid, false, 10, Optional.empty()).notifications()).hasSize(3);
  }

  @Test
  void readingTwiceKeepsTheFirstTimeAndAnUnknownIdIsNotFound() {
    String uid = uid();
    StoredNotification n = note("r", 0);
    store().createMissing(List.of(new Addressed(uid, n)));
    assertThat(store().markRead(uid, n.id(), t0.plusSeconds(5))).isTrue();
    assertThat(store().markRead(uid, n.id(), t0.plusSeconds(9))).isTrue();
    assertThat(store().find(uid, n.id()).orElseThrow().readAt()).contains(t0.plusSeconds(5));
    assertThat(store().markRead(uid, StoredNotification.idFor("nope"), t0)).isFalse();
    assertThat(store().markRead(uid(), n.id(), t0)).isFalse();
  }

  @Test
  void markAllReadWorksInBoundedStepsAndTouchesNoOtherUser() {
    String uid = uid();
    String other = uid();
    List<Addressed> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(new Addressed(uid, note("m" + i, i)));
    }
    store().createMissing(mine);
    store().createMissing(List.of(new Addressed(other, note("o", 0))));

    assertThat(store().markAllRead(uid, t0.plusSeconds(99), 3)).isEqualTo(3);
    assertThat(store().unreadCount(uid)).isEqualTo(2);
    assertThat(store().markAllRead(uid, t0.plusSeconds(99), 3)).isEqualTo(2);
    assertThat(store().unreadCount(uid)).isZero();
    assertThat(store().markAllRead(uid, t0.plusSeconds(99), 3)).isZero();
    assertThat(store().unreadCount(other)).isEqualTo(1);
  }

  @Test
  void aUsersNotificationsAreDeletedInBoundedStepsAndNoOneElses() {
    String uid = uid();
    String other = uid();
    store()
        .createMissing(
            List.of(
                new Addressed(uid, note("d1" + uid, 1)),
                new Addressed(uid, note("d2" + uid, 2)),
                new Addressed(uid, note("d3" + uid, 3)),
                new Addressed(other, note("d4" + other, 4))));

    assertThat(store().deleteSome(uid, 2)).isEqualTo(2);
    assertThat(store().deleteSome(uid, 2)).isEqualTo(1);
    assertThat(store().deleteSome(uid, 2)).isZero();
    assertThat(store().list(uid, false, 10, Optional.empty()).notifications()).isEmpty();
    assertThat(store().list(other, false, 10, Optional.empty()).notifications()).hasSize(1);
  }
}
