package dev.cirrus.shared.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * A Cloud Storage object notification (payload format JSON_API_V1), as the uploads bucket's
 * OBJECT_FINALIZE notification and {@code :complete} both publish it on {@code upload-finalized}.
 *
 * @param eventType {@code OBJECT_FINALIZE} and the like, from the {@code eventType} attribute
 * @param traceparent the W3C trace the publisher carried, passed on to what this event causes
 */
public record StorageObjectEvent(
    String eventType,
    ObjectRef ref,
    long generation,
    long size,
    String contentType,
    Optional<String> md5,
    Optional<String> crc32c,
    Optional<String> traceparent) {

  public static final String OBJECT_FINALIZE = "OBJECT_FINALIZE";

  /** The idempotency key of DESIGN.md: one object generation is processed once. */
  public String key() {
    return ref.bucket() + "/" + ref.name() + "#" + generation;
  }

  /**
   * Decodes a message; a message that is not a storage object resource cannot get better by being
   * retried, so it is reported as {@link MalformedEvent} for the caller to record and acknowledge.
   */
  public static StorageObjectEvent decode(
      ObjectMapper mapper, Map<String, String> attributes, byte[] data) {
    JsonNode body = MalformedEvent.jsonObject(mapper, data);
    String bucket = text(body, "bucket").orElseThrow(() -> new MalformedEvent("no bucket"));
    String name = text(body, "name").orElseThrow(() -> new MalformedEvent("no name"));
    return new StorageObjectEvent(
        attributes.getOrDefault("eventType", OBJECT_FINALIZE),
        new ObjectRef(bucket, name),
        number(body, "generation"),
        number(body, "size"),
        text(body, "contentType").orElse("application/octet-stream"),
        text(body, "md5Hash"),
        text(body, "crc32c"),
        Optional.ofNullable(attributes.get("traceparent")));
  }

  /** The object resource as Cloud Storage's JSON_API_V1 notification payload carries it. */
  public static byte[] encode(ObjectMapper mapper, StoredObject object) {
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
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The attributes Cloud Storage puts on an OBJECT_FINALIZE notification. */
  public static Map<String, String> attributes(StoredObject object) {
    return Map.of(
        "eventType", OBJECT_FINALIZE,
        "bucketId", object.ref().bucket(),
        "objectId", object.ref().name(),
        "objectGeneration", Long.toString(object.generation()),
        "payloadFormat", "JSON_API_V1");
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
}
