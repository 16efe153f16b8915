package dev.cirrus.shared.json;

import dev.cirrus.shared.webhooks.WebhookPayloads;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A delivery's body in JSON: {@code {"type", "timestamp" (RFC 3339), "data"}}. */
public final class JsonWebhookPayloads implements WebhookPayloads {
  private final JsonCodec json;

  public JsonWebhookPayloads(JsonCodec json) {
    this.json = json;
  }

  @Override
  public String body(String type, Instant timestamp, Map<String, Object> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("timestamp", timestamp.toString());
    body.put("data", data);
    return json.writeString(body);
  }
}
