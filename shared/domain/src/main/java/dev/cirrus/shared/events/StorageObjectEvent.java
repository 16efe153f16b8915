package dev.cirrus.shared.events;

import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.StoredObject;
import java.util.Map;
import java.util.Optional;

/**
 * A Cloud Storage object notification (payload format JSON_API_V1), as the uploads bucket's
 * OBJECT_FINALIZE notification and {@code :complete} both publish it on {@code upload-finalized};
 * {@link MessageCodec} reads and writes it.
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

  /** The idempotency key: one object generation is processed once. */
  public String key() {
    return ref.bucket() + "/" + ref.name() + "#" + generation;
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
}
