package dev.cirrus.shared.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.notifications.NotificationRequest;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.StoredObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The messages of Cirrus's topics as JSON bodies, with the instance's one mapper. */
public final class JsonMessageCodec implements MessageCodec {
  private final JsonCodec json;

  public JsonMessageCodec(JsonCodec json) {
    this.json = json;
  }

  @Override
  public byte[] fileEvent(FileEvent event) {
    return json.write(event);
  }

  @Override
  public FileEvent readFileEvent(byte[] data) {
    try {
      FileEvent event = json.mapper().readValue(data, FileEvent.class);
      if (event == null) {
        throw new MalformedEvent("the body is not a file event");
      }
      return event;
    } catch (IOException e) {
      throw new MalformedEvent("the body is not a file event");
    }
  }

  @Override
  public byte[] storageObject(StoredObject object) {
    ObjectMapper mapper = json.mapper();
    ObjectNode body = mapper.createObjectNode();
    body.put("kind", "storage#object");
    body.put("id", object.ref() + "/" + object.generation());
    body.put("bucket", object.ref().bucket());
    body.put("name", object.ref().name());
    body.put("generation", Long.toString(object.generation()));
    body.put("size", Long.toString(object.size()));
    body.put("contentType", object.contentType());
    object.md5().ifPresent(v -> body.put("md5Hash", v));
    object.crc32c().ifPresent(v -> body.put("crc32c", v));
    if (!object.metadata().isEmpty()) {
      body.set("metadata", mapper.valueToTree(object.metadata()));
    }
    return json.write(body);
  }

  @Override
  public StorageObjectEvent readStorageObject(Map<String, String> attributes, byte[] data) {
    JsonNode body = jsonObject(json.mapper(), data);
    String bucket = text(body, "bucket").orElseThrow(() -> new MalformedEvent("no bucket"));
    String name = text(body, "name").orElseThrow(() -> new MalformedEvent("no name"));
    return new StorageObjectEvent(
        attributes.getOrDefault("eventType", StorageObjectEvent.OBJECT_FINALIZE),
        new ObjectRef(bucket, name),
        number(body, "generation"),
        number(body, "size"),
        text(body, "contentType").orElse("application/octet-stream"),
        text(body, "md5Hash"),
        text(body, "crc32c"),
        Optional.ofNullable(attributes.get("traceparent")));
  }

  /** The message body as the JSON object every Cirrus topic carries, or a MalformedEvent. */
  static JsonNode jsonObject(ObjectMapper mapper, byte[] data) {
    JsonNode body;
    try {
      body = mapper.readTree(data);
    } catch (IOException e) {
      throw new MalformedEvent("the message body is not JSON");
    }
    if (body == null || !body.isObject()) {
      throw new MalformedEvent("the message body is not a JSON object");
    }
    return body;
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || !node.isTextual() || node.asText().isBlank()
        ? Optional.empty()
        : Optional.of(node.asText());
  }

  /** The JSON API sends int64 values as strings; accept numbers too. */
  private static long number(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node != null && node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node != null && node.isTextual() && node.asText().matches("\\d{1,19}")) {
      return Long.parseLong(node.asText());
    }
    throw new MalformedEvent("no numeric " + field);
  }

  @Override
  public byte[] accountDeletion(String uid) {
    return json.write(Map.of("uid", uid));
  }

  @Override
  public String readAccountDeletion(byte[] data) {
    try {
      JsonNode uid = json.mapper().readTree(data).path("uid");
      if (!uid.isTextual() || uid.asText().isBlank()) {
        throw new MalformedEvent("the body names no uid");
      }
      return uid.asText();
    } catch (IOException e) {
      throw new MalformedEvent("the body is not an account deletion");
    }
  }

  @Override
  public byte[] accountExport(String uid, String exportId) {
    return json.write(Map.of("uid", uid, "exportId", exportId));
  }

  @Override
  public ExportStep readAccountExport(byte[] data) {
    JsonNode body;
    try {
      body = json.mapper().readTree(data);
    } catch (IOException e) {
      throw new MalformedEvent("the body is not an account export");
    }
    JsonNode uid = body.path("uid");
    JsonNode exportId = body.path("exportId");
    if (!uid.isTextual() || uid.asText().isBlank() || !exportId.isTextual()) {
      throw new MalformedEvent("the body names no uid and exportId");
    }
    if (!exportId.asText().matches("[0-9a-f]{22}")) {
      throw new MalformedEvent("not an export id: " + exportId.asText());
    }
    return new ExportStep(uid.asText(), exportId.asText());
  }

  @Override
  public byte[] notificationRequest(NotificationRequest request) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("requestId", request.requestId());
    body.put("type", request.type());
    body.put("recipients", Map.of("uids", request.recipients().stream().map(Uid::value).toList()));
    body.put("title", request.title());
    body.put("body", request.body());
    body.put("data", request.data());
    return json.write(body);
  }

  @Override
  public byte[] webhookDelivery(String endpointId, String deliveryId) {
    return json.write(Map.of("endpointId", endpointId, "deliveryId", deliveryId));
  }

  @Override
  public WebhookStep readWebhookDelivery(byte[] data) {
    JsonNode body;
    try {
      body = json.mapper().readTree(data);
    } catch (IOException e) {
      throw new MalformedEvent("the body is not a webhook delivery");
    }
    if (body != null && body.path("due").asBoolean(false)) {
      return new WebhookStep(Optional.empty(), Optional.empty());
    }
    JsonNode endpoint = body == null ? null : body.get("endpointId");
    JsonNode delivery = body == null ? null : body.get("deliveryId");
    if (endpoint == null
        || delivery == null
        || !endpoint.isTextual()
        || !delivery.isTextual()
        || !endpoint.asText().matches(IDS)
        || !delivery.asText().matches(IDS)) {
      throw new MalformedEvent("the body names no endpointId and deliveryId, and is no tick");
    }
    return new WebhookStep(Optional.of(endpoint.asText()), Optional.of(delivery.asText()));
  }

  private static final String IDS = "[A-Za-z0-9_-]{1,64}";
}
