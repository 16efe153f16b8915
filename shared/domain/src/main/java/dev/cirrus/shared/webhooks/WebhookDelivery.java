package dev.cirrus.shared.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One message to one endpoint and every attempt to send it: {@code webhookDeliveries/{key}}. The id
 * is the {@code webhook-id} the receiver sees on every attempt, so it can drop duplicates.
 *
 * @param body the JSON sent, {@code {type, timestamp, data}}, fixed when the event fanned out
 * @param dueAt when the next attempt is due; empty once delivered or given up
 * @param leasedUntil an attempt in progress until then: no other sender takes it meanwhile
 */
public record WebhookDelivery(
    String id,
    String endpointId,
    String type,
    String body,
    Instant createdAt,
    Status status,
    Optional<Instant> dueAt,
    Optional<Instant> leasedUntil,
    List<Attempt> attempts) {

  /** At most this many attempts are kept on a delivery (redeliveries by hand add more). */
  public static final int KEPT_ATTEMPTS = 20;

  public WebhookDelivery {
    attempts = List.copyOf(attempts);
  }

  public enum Status {
    PENDING,
    RETRYING,
    DELIVERED,
    FAILED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Status> parse(String raw) {
      for (Status s : values()) {
        if (s.wireName().equals(raw)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One try.
   *
   * @param responseCode what the receiver answered, if it did
   * @param error why there was no answer, or why the answer failed the delivery
   */
  public record Attempt(
      int number,
      Instant at,
      long latencyMillis,
      Optional<Integer> responseCode,
      Optional<String> error) {}

  /** The store's key: deliveries of one endpoint cannot collide with another's. */
  public String key() {
    return endpointId + "_" + id;
  }

  public int attemptCount() {
    return attempts.isEmpty() ? 0 : attempts.get(attempts.size() - 1).number();
  }

  /** A fresh delivery, due now. */
  public static WebhookDelivery pending(
      String id, String endpointId, String type, String body, Instant now) {
    return new WebhookDelivery(
        id,
        endpointId,
        type,
        body,
        now,
        Status.PENDING,
        Optional.of(now),
        Optional.empty(),
        List.of());
  }

  WebhookDelivery leased(Instant until) {
    return new WebhookDelivery(
        id, endpointId, type, body, createdAt, status, dueAt, Optional.of(until), attempts);
  }

  WebhookDelivery after(Attempt attempt, Status next, Optional<Instant> nextDue) {
    List<Attempt> kept = new ArrayList<>(attempts);
    kept.add(attempt);
    while (kept.size() > KEPT_ATTEMPTS) {
      kept.remove(0);
    }
    return new WebhookDelivery(
        id, endpointId, type, body, createdAt, next, nextDue, Optional.empty(), kept);
  }

  /** Due again now: a redelivery asked for by hand, whatever became of the earlier attempts. */
  WebhookDelivery redue(Instant now) {
    return new WebhookDelivery(
        id,
        endpointId,
        type,
        body,
        createdAt,
        Status.RETRYING,
        Optional.of(now),
        Optional.empty(),
        attempts);
  }
}
