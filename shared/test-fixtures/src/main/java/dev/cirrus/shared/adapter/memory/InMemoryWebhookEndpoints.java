package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.webhooks.WebhookEndpoint;
import dev.cirrus.shared.webhooks.WebhookEndpoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link WebhookEndpoints} in memory, held to the same contract as the Firestore adapter. */
public final class InMemoryWebhookEndpoints implements WebhookEndpoints {
  private static final Comparator<WebhookEndpoint> NEWEST_FIRST =
      Comparator.comparing(WebhookEndpoint::createdAt)
          .thenComparing(WebhookEndpoint::id)
          .reversed();
  private final Map<String, WebhookEndpoint> endpoints = new LinkedHashMap<>();

  @Override
  public synchronized void create(WebhookEndpoint endpoint) {
    endpoints.put(endpoint.id(), endpoint);
  }

  @Override
  public synchronized Optional<WebhookEndpoint> find(String id) {
    return Optional.ofNullable(endpoints.get(id));
  }

  @Override
  public synchronized EndpointPage owned(
      Optional<String> ownerUid, int pageSize, Optional<Cursor> after) {
    List<WebhookEndpoint> fetched =
        endpoints.values().stream()
            .filter(e -> e.ownerUid().equals(ownerUid))
            .sorted(NEWEST_FIRST)
            .filter(e -> after.map(c -> isAfter(e, c)).orElse(true))
            .limit(pageSize + 1L)
            .toList();
    return new EndpointPage(
        fetched.subList(0, Math.min(pageSize, fetched.size())),
        Cursor.after(fetched, pageSize, WebhookEndpoint::createdAt, WebhookEndpoint::id));
  }

  @Override
  public synchronized boolean put(WebhookEndpoint endpoint) {
    return endpoints.replace(endpoint.id(), endpoint) != null;
  }

  @Override
  public synchronized boolean delete(String id) {
    return endpoints.remove(id) != null;
  }

  @Override
  public synchronized List<WebhookEndpoint> subscribedTo(String type) {
    return endpoints.values().stream().filter(e -> e.events().contains(type)).toList();
  }

  @Override
  public synchronized List<WebhookEndpoint> ownedBy(String uid, int limit) {
    return new ArrayList<>(
        endpoints.values().stream()
            .filter(e -> e.ownerUid().equals(Optional.of(uid)))
            .limit(limit)
            .toList());
  }

  private static boolean isAfter(WebhookEndpoint e, Cursor c) {
    int byTime = e.createdAt().compareTo(c.createdAt());
    return byTime < 0 || (byTime == 0 && e.id().compareTo(c.id()) < 0);
  }
}
