package dev.cirrus.shared.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryAuditLog;
import dev.cirrus.shared.adapter.memory.InMemoryDeadLetterStore;
import dev.cirrus.shared.adapter.memory.InMemorySubscriptionTopics;
import dev.cirrus.shared.admin.Actor;
import dev.cirrus.shared.admin.AuditEntry;
import dev.cirrus.shared.admin.AuditTrail;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PermissionDenied;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadLetterServiceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final InMemoryDeadLetterStore store = new InMemoryDeadLetterStore();
  private final InMemorySubscriptionTopics subscriptions = new InMemorySubscriptionTopics();
  private final RecordingEventBus events = new RecordingEventBus();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final AtomicInteger ids = new AtomicInteger();
  private final DeadLetterService service =
      new DeadLetterService(
          store,
          subscriptions,
          events,
          new AccessPolicy(),
          new AuditTrail(audit, clock, () -> "audit-" + ids.incrementAndGet()),
          clock,
          "demo-p");
  private final Principal adminUser = new Principal("root", Optional.empty(), Set.of("admin"));
  private final Principal user = new Principal("joe", Optional.empty(), Set.of());
  private final Actor admin = new Actor(adminUser, "request-1");

  private static final byte[] BODY = "{\"requestId\":\"r\"}".getBytes(StandardCharsets.UTF_8);

  private DeadLetter deadLetter(String id, String subscription) {
    return service.record(
        id,
        Map.of(
            "traceparent", "00-1-2-01",
            "CloudPubSubDeadLetterSourceSubscription", subscription,
            "CloudPubSubDeadLetterSourceSubscriptionProject", "demo-p",
            "CloudPubSubDeadLetterSourceDeliveryCount", "5",
            "CloudPubSubDeadLetterSourceTopicPublishTime", "2026-12-01T11:59:00Z"),
        BODY,
        clock.instant());
  }

  @Test
  void aDeadLetterIsRecordedWithItsOriginAndItsOwnAttributesOnly() {
    subscriptions.subscribe(
        "projects/demo-p/subscriptions/notify-notification-requests", "notification-requests");
    DeadLetter d = deadLetter("m-1", "notify-notification-requests");

    DeadLetter stored = store.find("m-1").orElseThrow();
    assertThat(stored).isEqualTo(d);
    assertThat(stored.sourceSubscription())
        .isEqualTo("projects/demo-p/subscriptions/notify-notification-requests");
    assertThat(stored.topic()).contains("notification-requests");
    assertThat(stored.attributes()).containsOnlyKeys("traceparent");
    assertThat(stored.attempts()).isEqualTo(5);
  }

  @Test
  void aRedrivePublishesTheOriginalToItsTopicAndIsRecorded() {
    subscriptions.subscribe("projects/demo-p/subscriptions/s1", "file-events");
    deadLetter("m-2", "s1");
    clock.advance(java.time.Duration.ofMinutes(5));

    DeadLetterService.DeadLetterView view = service.redrive(admin, "m-2");

    assertThat(events.on("file-events")).hasSize(1);
    assertThat(events.on("file-events").get(0).attributes()).containsOnlyKeys("traceparent");
    assertThat(events.on("file-events").get(0).body()).isEqualTo("{\"requestId\":\"r\"}");
    assertThat(view.redrivenAt()).isEqualTo(clock.instant());
    assertThat(store.find("m-2").orElseThrow().redrivenAt()).contains(clock.instant());
    assertThat(audit.all())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.action()).isEqualTo("deadLetter.redrive");
              assertThat(e.actorUid()).isEqualTo("root");
              assertThat(e.target()).isEqualTo("m-2");
              assertThat(e.requestId()).isEqualTo("request-1");
              assertThat(e.outcome()).isEqualTo(AuditEntry.DONE);
            });
  }

  @Test
  void onlyAdminsListOrRedrive() {
    subscriptions.subscribe("projects/demo-p/subscriptions/s1", "file-events");
    deadLetter("m-3", "s1");
    assertThatThrownBy(() -> service.list(user, Optional.empty(), Optional.empty()))
        .isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> service.redrive(new Actor(user, "r"), "m-3"))
        .isInstanceOf(PermissionDenied.class);
    assertThat(events.on("file-events")).isEmpty();
    assertThat(audit.all()).as("a refusal is no action").isEmpty();
    assertThat(service.list(adminUser, Optional.empty(), Optional.empty()).deadLetters())
        .extracting(DeadLetterService.DeadLetterView::id)
        .containsExactly("m-3");
  }

  @Test
  void anUnknownIdIsNotFoundAndALostTopicIsAConflict() {
    assertThatThrownBy(() -> service.redrive(admin, "nope")).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> service.redrive(admin, "../x")).isInstanceOf(NotFound.class);
    deadLetter("m-4", "deleted-subscription");
    assertThatThrownBy(() -> service.redrive(admin, "m-4"))
        .isInstanceOf(Conflict.class)
        .hasMessageContaining("deleted-subscription");
  }
}
