package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.webhooks.WebhookDeliveries;
import dev.cirrus.shared.webhooks.WebhookDelivery;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link WebhookDeliveries} in memory, held to the same contract as the Firestore adapter. */
public final class InMemoryWebhookDeliveries implements WebhookDeliveries {
  private static final Comparator<WebhookDelivery> NEWEST_FIRST =
      Comparator.comparing(WebhookDelivery::createdAt)
          .thenComparing(WebhookDelivery::id)
          .reversed();
  private final Map<String, WebhookDelivery> deliveries = new LinkedHashMap<>();

  @Override
  public synchronized WebhookDelivery create(WebhookDelivery delivery) {
    return deliveries.computeIfAbsent(delivery.key(), k -> delivery);
  }

  @Override
  public synchronized Optional<WebhookDelivery> find(String endpointId, String id) {
    return Optional.ofNullable(deliveries.get(endpointId + "_" + id));
  }

  @Override
  public synchronized Optional<WebhookDelivery> update(
      String endpointId, String id, UnaryOperator<WebhookDelivery> change) {
    return find(endpointId, id)
        .map(
            current -> {
              WebhookDelivery next = change.apply(current);
              deliveries.put(current.key(), next);
              return next;
            });
  }

  @Override
  public synchronized DeliveryPage of(String endpointId, int pageSize, Optional<Cursor> after) {
    List<WebhookDelivery> fetched =
        deliveries.values().stream()
            .filter(d -> d.endpointId().equals(endpointId))
            .sorted(NEWEST_FIRST)
            .filter(d -> after.map(c -> isAfter(d, c)).orElse(true))
            .limit(pageSize + 1L)
            .toList();
    return new DeliveryPage(
        fetched.subList(0, Math.min(pageSize, fetched.size())),
        Cursor.after(fetched, pageSize, WebhookDelivery::createdAt, WebhookDelivery::id));
  }

  @Override
  public synchronized List<WebhookDelivery> due(Instant now, int limit) {
    return deliveries.values().stream()
        .filter(d -> d.dueAt().filter(at -> !at.isAfter(now)).isPresent())
        .sorted(Comparator.comparing(d -> d.dueAt().get()))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized int deleteOf(String endpointId, int limit) {
    List<String> keys =
        deliveries.values().stream()
            .filter(d -> d.endpointId().equals(endpointId))
            .limit(limit)
            .map(WebhookDelivery::key)
            .toList();
    keys.forEach(deliveries::remove);
    return keys.size();
  }

  private static boolean isAfter(WebhookDelivery d, Cursor c) {
    int byTime = d.createdAt().compareTo(c.createdAt());
    return byTime < 0 || (byTime == 0 && d.id().compareTo(c.id()) < 0);
  }
}
