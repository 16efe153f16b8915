package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.paging.Cursor;
import java.util.List;
import java.util.Optional;

/** Port: registered webhook endpoints. */
public interface WebhookEndpoints {
  /** Page of an owner's endpoints, newest first. */
  record EndpointPage(List<WebhookEndpoint> endpoints, Optional<Cursor> next) {}

  void create(WebhookEndpoint endpoint);

  Optional<WebhookEndpoint> find(String id);

  /**
   * @param ownerUid a user's endpoints, or empty for the project's
   */
  EndpointPage owned(Optional<String> ownerUid, int pageSize, Optional<Cursor> after);

  /** Replaces the endpoint as stored, if it still exists; false if it was deleted. */
  boolean put(WebhookEndpoint endpoint);

  /** Removes it; false if there was none. */
  boolean delete(String id);

  /** Enabled or not, every endpoint subscribed to {@code type}: for the fan-out to filter. */
  List<WebhookEndpoint> subscribedTo(String type);

  /** Up to {@code limit} of a user's endpoints, for the account deletion to remove. */
  List<WebhookEndpoint> ownedBy(String uid, int limit);
}
