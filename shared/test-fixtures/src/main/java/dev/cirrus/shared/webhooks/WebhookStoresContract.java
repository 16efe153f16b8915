package dev.cirrus.shared.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.webhooks.WebhookDelivery.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WebhookEndpoints} and {@link WebhookDeliveries} adapter pair must
 * have; one subclass per adapter.
 */
public abstract class WebhookStoresContract {
  protected final Instant t0 = Instant.parse("2026-12-04T10:00:00Z");

  protected abstract WebhookEndpoints endpoints();

  protected abstract WebhookDeliveries deliveries();

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  private WebhookEndpoint endpoint(Optional<String> owner, String type, Instant at) {
    return new WebhookEndpoint(
        unique("wh_"),
        owner,
        "https://hooks.example.com/" + type,
        List.of(type, "file.deleted"),
        new SigningSecrets(
            "whsec_AAAA", Optional.of("whsec_BBBB"), Optional.of(at.plusSeconds(60))),
        Optional.empty(),
        Optional.empty(),
        at,
        at);
  }

  @Test
  void anEndpointIsReadBackWholeAndReplacedOnlyWhileItExists() {
    WebhookEndpoint e = endpoint(Optional.of(unique("u")), unique("t.x"), t0);
    endpoints().create(e);
    assertThat(endpoints().find(e.id())).contains(e);
    WebhookEndpoint disabled = e.failing(t0.plusSeconds(5)).disabled("gone", t0.plusSeconds(9));
    assertThat(endpoints().put(disabled)).isTrue();
    assertThat(endpoints().find(e.id())).contains(disabled);
    assertThat(endpoints().delete(e.id())).isTrue();
    assertThat(endpoints().delete(e.id())).isFalse();
    assertThat(endpoints().put(disabled)).as("no resurrection").isFalse();
    assertThat(endpoints().find(e.id())).isEmpty();
  }

  @Test
  void anOwnersEndpointsArePagedNewestFirstAndTheProjectsApart() {
    String owner = unique("u");
    String type = unique("t.p");
    WebhookEndpoint first = endpoint(Optional.of(owner), type, t0);
    WebhookEndpoint second = endpoint(Optional.of(owner), type, t0.plusSeconds(1));
    WebhookEndpoint third = endpoint(Optional.of(owner), type, t0.plusSeconds(2));
    WebhookEndpoint project = endpoint(Optional.empty(), type, t0.plusSeconds(3));
    List.of(first, second, third, project).forEach(endpoints()::create);
    WebhookEndpoints.EndpointPage page = endpoints().owned(Optional.of(owner), 2, Optional.empty());
    assertThat(page.endpoints()).containsExactly(third, second);
    assertThat(endpoints().owned(Optional.of(owner), 2, page.next()).endpoints())
        .containsExactly(first);
    assertThat(endpoints().owned(Optional.empty(), 100, Optional.empty()).endpoints())
        .contains(project)
        .doesNotContain(first);
    assertThat(endpoints().subscribedTo(type))
        .containsExactlyInAnyOrder(first, second, third, project);
    assertThat(endpoints().ownedBy(owner, 10)).containsExactlyInAnyOrder(first, second, third);
  }

  @Test
  void aDeliveryIsCreatedOnceAndChangedInOneStep() {
    String endpointId = unique("wh_");
    WebhookDelivery fresh =
        WebhookDelivery.pending(unique("msg_"), endpointId, "file.ready", "{}", t0);
    assertThat(deliveries().create(fresh)).isEqualTo(fresh);
    WebhookDelivery again =
        WebhookDelivery.pending(
            fresh.id(), endpointId, "file.ready", "{\"other\":1}", t0.plusSeconds(9));
    assertThat(deliveries().create(again)).as("the first one stays").isEqualTo(fresh);

    // Milliseconds, as the sender writes them: a lease must read back exactly as written.
    Instant lease = t0.plusMillis(30_123);
    WebhookDelivery.Attempt attempt =
        new WebhookDelivery.Attempt(1, t0, 42, Optional.of(503), Optional.empty());
    deliveries().update(endpointId, fresh.id(), d -> d.leased(lease));
    assertThat(deliveries().find(endpointId, fresh.id()).get().leasedUntil()).contains(lease);
    Optional<WebhookDelivery> retried =
        deliveries()
            .update(
                endpointId,
                fresh.id(),
                d -> d.after(attempt, Status.RETRYING, Optional.of(t0.plusSeconds(5))));
    assertThat(retried).isPresent();
    assertThat(deliveries().find(endpointId, fresh.id())).isEqualTo(retried);
    assertThat(retried.get().attempts()).containsExactly(attempt);
    assertThat(retried.get().leasedUntil()).isEmpty();
    assertThat(deliveries().update(endpointId, "msg_none", d -> d)).isEmpty();
  }

  @Test
  void dueDeliveriesComeOldestDueFirstAndDeletingAnEndpointsRemovesItsOwn() {
    String endpointId = unique("wh_");
    WebhookDelivery early =
        WebhookDelivery.pending(
            unique("msg_"), endpointId, "a", "{}", t0.minus(Duration.ofDays(3000)));
    WebhookDelivery later =
        WebhookDelivery.pending(
            unique("msg_"), endpointId, "a", "{}", t0.minus(Duration.ofDays(2999)));
    WebhookDelivery notYet =
        WebhookDelivery.pending(unique("msg_"), endpointId, "a", "{}", t0.plusSeconds(600));
    List.of(later, early, notYet).forEach(deliveries()::create);
    List<WebhookDelivery> due =
        deliveries().due(t0.minus(Duration.ofDays(2998)), 1000).stream()
            .filter(d -> d.endpointId().equals(endpointId))
            .toList();
    assertThat(due).containsExactly(early, later);

    WebhookDeliveries.DeliveryPage page = deliveries().of(endpointId, 2, Optional.empty());
    assertThat(page.deliveries()).containsExactly(notYet, later);
    assertThat(deliveries().of(endpointId, 2, page.next()).deliveries()).containsExactly(early);

    assertThat(deliveries().deleteOf(endpointId, 2)).isEqualTo(2);
    assertThat(deliveries().deleteOf(endpointId, 2)).isEqualTo(1);
    assertThat(deliveries().deleteOf(endpointId, 2)).isZero();
  }
}
