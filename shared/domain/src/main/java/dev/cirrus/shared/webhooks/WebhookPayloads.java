package dev.cirrus.shared.webhooks;

import java.time.Instant;
import java.util.Map;

/** Port: how a delivery's body is spelled: Standard Webhooks' {@code {type, timestamp, data}}. */
public interface WebhookPayloads {
  String body(String type, Instant timestamp, Map<String, Object> data);
}
