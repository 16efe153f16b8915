package dev.cirrus.shared.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryDeliveryLog;
import dev.cirrus.shared.adapter.memory.InMemoryEventClaims;
import dev.cirrus.shared.adapter.memory.InMemoryNotificationStore;
import dev.cirrus.shared.adapter.memory.InMemoryPushSender;
import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.json.NotificationRequestDecoder;
import dev.cirrus.shared.notifications.NotifyDispatcher.Handled;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.DevicePlatform;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class NotifyDispatcherTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final JsonCodec json = new JsonCodec();
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryNotificationStore notifications = new InMemoryNotificationStore();
  private final InMemoryPushSender push = new InMemoryPushSender();
  private final InMemoryEventClaims claims = new InMemoryEventClaims();
  private final NotifyDispatcher dispatcher =
      new NotifyDispatcher(
          new Notifier(
              new Notifier.Ports(
                  users, notifications, new InMemoryDeliveryLog(), push, claims, clock),
              Executors.newFixedThreadPool(4)),
          new NotificationRequestDecoder(json.mapper()),
          new JsonMessageCodec(json),
          claims,
          clock);

  private void user(String uid, String token) {
    users.findOrCreate(
        new UserRecord(uid, Optional.empty(), Settings.DEFAULT, Quota.empty(1), clock.instant()));
    users.registerDevice(uid, Device.register(token, DevicePlatform.IOS, clock.instant()), 5);
  }

  private Handled handle(String topic, String id, String body) {
    return dispatcher.handle(
        topic, id, body.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-01T09:00:00Z"));
  }

  @Test
  void aRejectedUploadTellsItsOwnerWhy() {
    user("owner", "t1");
    FileEvent event =
        new FileEvent(
            "up-1:file.rejected",
            FileEvent.REJECTED,
            null,
            "up-1",
            "owner",
            "virus.jpg",
            "image/jpeg",
            10L,
            "type-mismatch",
            clock.instant());
    Handled handled =
        dispatcher.handle(Topics.FILE_EVENTS, "m1", json.write(event), clock.instant());

    assertThat(handled).isInstanceOf(Handled.Notified.class);
    StoredNotification n =
        notifications
            .find("owner", StoredNotification.idFor("event:up-1:file.rejected"))
            .orElseThrow();
    assertThat(n.type()).isEqualTo("file.rejected");
    assertThat(n.body()).isEqualTo("virus.jpg was rejected: type-mismatch.");
    assertThat(n.data()).containsEntry("reason", "type-mismatch");
    assertThat(n.createdAt()).isEqualTo(clock.instant());
    assertThat(push.sent()).hasSize(1);
  }

  @Test
  void aDeletedFileIsNoNews() {
    user("owner", "t1");
    String body =
        "{\"eventId\":\"f:file.deleted\",\"type\":\"file.deleted\",\"fileId\":\"f\","
            + "\"uploadId\":\"f\",\"ownerUid\":\"owner\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}";
    assertThat(handle(Topics.FILE_EVENTS, "m2", body)).isInstanceOf(Handled.Ignored.class);
    assertThat(push.sent()).isEmpty();
  }

  @Test
  void badMessagesAreRecordedAndAcknowledgedNeverRetried() {
    String[] bodies = {
      "not json",
      "[]",
      "{\"requestId\":\"r\",\"type\":\"promo\",\"recipients\":{\"uids\":[]},\"title\":\"t\"}",
      "{\"requestId\":\"r\",\"type\":\"promo\",\"recipients\":{\"uids\":[\"a\"]},"
          + "\"title\":\""
          + "x".repeat(201)
          + "\"}",
      "{\"requestId\":\"r\",\"type\":\"promo\",\"recipients\":{\"uids\":[\"a\"]},"
          + "\"title\":\"t\",\"data\":{\"n\":1}}",
      "{\"requestId\":\"r\",\"type\":\"promo\",\"recipients\":{\"uids\":[\"a\"]},"
          + "\"title\":\"t\",\"priority\":\"high\"}"
    };
    for (int i = 0; i < bodies.length; i++) {
      Handled handled = handle(Topics.NOTIFICATION_REQUESTS, "bad-" + i, bodies[i]);
      assertThat(handled).as(bodies[i]).isInstanceOf(Handled.Rejected.class);
      assertThat(
              claims.claim(
                  "notify-rejected/notification-requests/bad-" + i,
                  "probe",
                  clock.instant(),
                  java.time.Duration.ofMinutes(1)))
          .as("recorded: " + bodies[i])
          .isEqualTo(EventClaims.State.DONE);
    }
    assertThat(handle(Topics.FILE_EVENTS, "bad-fe", "{\"type\":\"file.ready\"}"))
        .isInstanceOf(Handled.Rejected.class);
    assertThat(handle("somewhere-else", "bad-topic", "{}")).isInstanceOf(Handled.Rejected.class);
    assertThat(push.sent()).isEmpty();
  }

  @Test
  void thePartOfARequestThatIsValidIsStillDelivered() {
    user("good", "t-good");
    String body =
        "{\"requestId\":\"r-partial\",\"type\":\"promo.x\",\"recipients\":{\"uids\":"
            + "[\"good\",\"a/b\",\"\",\"nobody\"]},\"title\":\"Hi\",\"body\":\"There\"}";
    Handled handled = handle(Topics.NOTIFICATION_REQUESTS, "m3", body);

    assertThat(handled).isInstanceOf(Handled.Notified.class);
    Handled.Notified notified = (Handled.Notified) handled;
    assertThat(notified.skipped()).hasSize(2);
    assertThat(notified.outcome().unknown()).isEqualTo(1);
    assertThat(push.sent()).extracting(PushSender.Push::token).containsExactly("t-good");
  }

  @Test
  void aTransientFailureIsThrownSoPubSubRedelivers() {
    user("a", "t-a");
    push.failNext("t-a", PushSender.Status.TRANSIENT, 1);
    String body =
        "{\"requestId\":\"r-t\",\"type\":\"promo.x\",\"recipients\":{\"uids\":[\"a\"]},"
            + "\"title\":\"Hi\"}";
    assertThatThrownBy(() -> handle(Topics.NOTIFICATION_REQUESTS, "m4", body))
        .isInstanceOf(Unavailable.class);
    assertThat(handle(Topics.NOTIFICATION_REQUESTS, "m4", body))
        .isInstanceOf(Handled.Notified.class);
    assertThat(push.sent()).hasSize(1);
  }
}
