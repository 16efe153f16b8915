package dev.cirrus.shared.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryDeliveryLog;
import dev.cirrus.shared.adapter.memory.InMemoryEventClaims;
import dev.cirrus.shared.adapter.memory.InMemoryNotificationStore;
import dev.cirrus.shared.adapter.memory.InMemoryPushSender;
import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.notifications.PushSender.Push;
import dev.cirrus.shared.notifications.PushSender.Status;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.DevicePlatform;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class NotifierTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryNotificationStore notifications = new InMemoryNotificationStore();
  private final InMemoryPushSender push = new InMemoryPushSender();
  private final InMemoryEventClaims claims = new InMemoryEventClaims();
  private final Notifier notifier =
      new Notifier(
          new Notifier.Ports(users, notifications, new InMemoryDeliveryLog(), push, claims, clock),
          Executors.newFixedThreadPool(4));

  private final NotificationContent notice =
      new NotificationContent(
          "request:r-1",
          "promo.spring",
          "Spring sale",
          "Half price.",
          Map.of("campaign", "spring"),
          clock.instant());

  private void user(String uid, List<String> muted, String... tokens) {
    users.findOrCreate(
        new UserRecord(
            uid, Optional.empty(), new Settings(muted), Quota.empty(100), clock.instant()));
    for (String token : tokens) {
      users.registerDevice(
          uid, Device.register(token, DevicePlatform.ANDROID, clock.instant()), 10);
    }
  }

  private List<String> pushedTokens() {
    return push.sent().stream().map(Push::token).toList();
  }

  @Test
  void eachRecipientGetsOneDocumentAndEachDeviceOnePush() {
    user("a", List.of(), "a1", "a2");
    user("b", List.of(), "b1", "b2");
    user("c", List.of(), "c1", "c2");

    Notifier.Outcome outcome = notifier.notify(notice, List.of("a", "b", "c"), "h1");

    assertThat(outcome.written()).isEqualTo(3);
    assertThat(outcome.pushed()).isEqualTo(6);
    assertThat(pushedTokens()).containsExactlyInAnyOrder("a1", "a2", "b1", "b2", "c1", "c2");
    for (String uid : List.of("a", "b", "c")) {
      StoredNotification n =
          notifications.find(uid, StoredNotification.idFor("request:r-1")).orElseThrow();
      assertThat(n.title()).isEqualTo("Spring sale");
      assertThat(n.data()).containsEntry("campaign", "spring");
      assertThat(n.unread()).isTrue();
    }
  }

  @Test
  void aRecipientMutingTheTypeGetsNeitherDocumentNorPush() {
    user("a", List.of("promo.spring"), "a1");
    user("b", List.of("file.ready"), "b1");

    Notifier.Outcome outcome = notifier.notify(notice, List.of("a", "b"), "h1");

    assertThat(outcome.muted()).isEqualTo(1);
    assertThat(notifications.find("a", notice.notification().id())).isEmpty();
    assertThat(pushedTokens()).containsExactly("b1");
  }

  @Test
  void unknownUsersAreSkippedAndTheOthersStillNotified() {
    user("a", List.of(), "a1");
    Notifier.Outcome outcome = notifier.notify(notice, List.of("ghost", "a"), "h1");
    assertThat(outcome.unknown()).isEqualTo(1);
    assertThat(pushedTokens()).containsExactly("a1");
  }

  @Test
  void aRedeliveredNoticeChangesNothing() {
    user("a", List.of(), "a1", "a2");
    notifier.notify(notice, List.of("a"), "h1");
    notifications.markRead("a", notice.notification().id(), clock.instant());

    Notifier.Outcome again = notifier.notify(notice, List.of("a"), "h2");

    assertThat(again.done()).isEqualTo(1);
    assertThat(pushedTokens()).containsExactlyInAnyOrder("a1", "a2");
    assertThat(notifications.find("a", notice.notification().id()).orElseThrow().unread())
        .isFalse();
  }

  @Test
  void aTransientPushFailureIsRetriedForThatDeviceOnly() {
    user("a", List.of(), "a1", "a2");
    push.failNext("a2", Status.TRANSIENT, 1);

    assertThatThrownBy(() -> notifier.notify(notice, List.of("a"), "h1"))
        .isInstanceOf(Unavailable.class)
        .hasMessageContaining("1 pushes to retry");
    assertThat(pushedTokens()).containsExactly("a1");

    notifier.notify(notice, List.of("a"), "h2");
    assertThat(pushedTokens()).containsExactly("a1", "a2");
    assertThat(notifications.unreadCount("a")).isEqualTo(1);
  }

  @Test
  void aGoneTokenIsPrunedAndNotTriedAgain() {
    user("a", List.of(), "a1", "dead");
    push.breakToken("dead", Status.TOKEN_GONE);

    Notifier.Outcome outcome = notifier.notify(notice, List.of("a"), "h1");

    assertThat(outcome.pruned()).isEqualTo(1);
    assertThat(users.devices("a")).extracting(Device::token).containsExactly("a1");
  }

  @Test
  void aBatchHeldByAConcurrentDeliveryIsLeftToIt() {
    user("a", List.of(), "a1");
    claims.claim("notify/request:r-1/0", "other", clock.instant(), Notifier.LEASE);

    assertThatThrownBy(() -> notifier.notify(notice, List.of("a"), "h1"))
        .isInstanceOf(Unavailable.class)
        .hasMessageContaining("held by another delivery");
    assertThat(push.sent()).isEmpty();

    // the other holder died: once its lease runs out, a redelivery does the work
    clock.advance(Notifier.LEASE.plusSeconds(1));
    notifier.notify(notice, List.of("a"), "h1");
    assertThat(pushedTokens()).containsExactly("a1");
  }

  @Test
  void tenThousandRecipientsGoInBatchesOfFiveHundred() {
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < 1_001; i++) {
      uids.add("bulk-" + i);
      user("bulk-" + i, List.of(), "bulk-tok-" + i);
    }
    Notifier.Outcome outcome = notifier.notify(notice, uids, "h1");
    assertThat(outcome.written()).isEqualTo(1_001);
    assertThat(outcome.pushed()).isEqualTo(1_001);
    assertThat(claims.claim("notify/request:r-1/2", "late", clock.instant(), Notifier.LEASE))
        .isEqualTo(EventClaims.State.DONE);
  }
}
