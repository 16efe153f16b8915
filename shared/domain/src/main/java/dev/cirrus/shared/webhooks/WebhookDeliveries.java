package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Port: webhook deliveries and their attempts. */
public interface WebhookDeliveries {
  /** Page of an endpoint's deliveries, newest first. */
  record DeliveryPage(List<WebhookDelivery> deliveries, Optional<Cursor> next) {}

  /**
   * Stores a new delivery unless one with its key exists (the same event fanned out again).
   *
   * @return the delivery as stored: the existing one on a duplicate
   */
  WebhookDelivery create(WebhookDelivery delivery);

  Optional<WebhookDelivery> find(String endpointId, String id);

  /**
   * Reads the delivery and writes what {@code change} makes of it, in one transaction; {@code
   * change} returning its argument writes nothing.
   *
   * @return the delivery as it is now; empty if there is none
   */
  Optional<WebhookDelivery> update(
      String endpointId, String id, UnaryOperator<WebhookDelivery> change);

  DeliveryPage of(String endpointId, int pageSize, Optional<Cursor> after);

  /**
   * Deliveries due at {@code now} (retries, and fresh ones whose message was lost), oldest due
   * first.
   */
  List<WebhookDelivery> due(Instant now, int limit);

  /** Removes up to {@code limit} of an endpoint's deliveries; how many it removed. */
  int deleteOf(String endpointId, int limit);
}
