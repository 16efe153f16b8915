package dev.cirrus.shared.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * An endpoint as the API shows it. The signing secret appears only in the answers that create it
 * (registration and rotation); nothing else ever shows it again.
 *
 * @param scope {@code user} or {@code project}
 * @param status {@code enabled} or {@code disabled}
 * @param secret the new signing secret, in the answer that made it only
 */
public record WebhookView(
    String id,
    String scope,
    String url,
    List<String> events,
    String status,
    String disabledReason,
    Instant failingSince,
    Instant createdAt,
    Instant updatedAt,
    String secret,
    Instant previousSecretExpiresAt) {

  static WebhookView of(WebhookEndpoint e, boolean withSecret) {
    return new WebhookView(
        e.id(),
        e.isProjectEndpoint() ? "project" : "user",
        e.url(),
        e.events(),
        e.enabled() ? "enabled" : "disabled",
        e.disabledReason().orElse(null),
        e.failingSince().orElse(null),
        e.createdAt(),
        e.updatedAt(),
        withSecret ? e.secrets().current() : null,
        e.secrets().previousUntil().orElse(null));
  }

  /** {@code GET /v1/webhooks}. */
  public record WebhookList(List<WebhookView> webhooks, String nextPageToken) {}

  /** A delivery as {@code GET /v1/webhooks/{id}/deliveries} shows it. */
  public record DeliveryView(
      String id,
      String type,
      String status,
      Instant createdAt,
      Instant nextAttemptAt,
      int attemptCount,
      List<AttemptView> attempts) {

    static DeliveryView of(WebhookDelivery d) {
      return new DeliveryView(
          d.id(),
          d.type(),
          d.status().wireName(),
          d.createdAt(),
          d.dueAt().orElse(null),
          d.attemptCount(),
          d.attempts().stream().map(AttemptView::of).toList());
    }
  }

  /** One attempt: when, how long it took, what the receiver answered or why there was no answer. */
  public record AttemptView(
      int attempt, Instant at, long latencyMs, Integer responseCode, String error) {
    static AttemptView of(WebhookDelivery.Attempt a) {
      return new AttemptView(
          a.number(),
          a.at(),
          a.latencyMillis(),
          a.responseCode().orElse(null),
          a.error().orElse(null));
    }
  }

  /** {@code GET /v1/webhooks/{id}/deliveries}. */
  public record DeliveryList(List<DeliveryView> deliveries, String nextPageToken) {}
}
