package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.storage.ObjectFields;
import dev.cirrus.local.storage.ObjectMeta;
import java.util.HashMap;
import java.util.Map;

/** An object resource's writable fields, read from the JSON the clients send. */
final class ObjectFieldsJson {
  private ObjectFieldsJson() {}

  /** The fields a resource names; absent ones are null. */
  static ObjectFields of(JsonNode body) {
    Map<String, String> metadata = new HashMap<>();
    body.path("metadata")
        .properties()
        .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
    return new ObjectFields(
        text(body, "contentType"),
        metadata,
        text(body, "contentDisposition"),
        text(body, "cacheControl"),
        text(body, "contentEncoding"),
        text(body, "md5Hash"),
        text(body, "crc32c"),
        null);
  }

  /** PATCH semantics: what the patch names replaces, a null metadata key removes it. */
  static ObjectFields merge(ObjectMeta current, JsonNode patch) {
    Map<String, String> metadata = new HashMap<>(current.metadata());
    if (patch.has("metadata")) {
      if (patch.get("metadata").isNull()) {
        metadata.clear();
      } else {
        patch
            .get("metadata")
            .properties()
            .forEach(
                e -> {
                  if (e.getValue().isNull()) {
                    metadata.remove(e.getKey());
                  } else {
                    metadata.put(e.getKey(), e.getValue().asText());
                  }
                });
      }
    }
    return new ObjectFields(
        patch.has("contentType") ? text(patch, "contentType") : current.contentType(),
        metadata,
        patch.has("contentDisposition")
            ? text(patch, "contentDisposition")
            : current.contentDisposition(),
        patch.has("cacheControl") ? text(patch, "cacheControl") : current.cacheControl(),
        patch.has("contentEncoding") ? text(patch, "contentEncoding") : current.contentEncoding(),
        null,
        null,
        null);
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
