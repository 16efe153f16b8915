package dev.cirrus.local.storage.api;

import dev.cirrus.local.storage.BucketMeta;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectMeta;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Buckets and objects in the JSON shape of the real service's resources. */
public final class Resources {
  private Resources() {}

  static Map<String, Object> bucket(BucketMeta b, String base) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#bucket");
    r.put("id", b.name());
    r.put("selfLink", base + "/storage/v1/b/" + b.name());
    r.put("name", b.name());
    r.put("projectNumber", "0");
    r.put("metageneration", Long.toString(b.metageneration()));
    r.put("location", "US");
    r.put("storageClass", "STANDARD");
    r.put("etag", "CAE=");
    r.put("timeCreated", b.timeCreated().toString());
    r.put("updated", b.timeCreated().toString());
    r.put("iamConfiguration", Map.of("uniformBucketLevelAccess", Map.of("enabled", true)));
    return r;
  }

  /** The object resource, also the JSON_API_V1 notification payload. */
  public static Map<String, Object> object(ObjectMeta o, String base) {
    String encoded = URLEncoder.encode(o.name(), StandardCharsets.UTF_8).replace("+", "%20");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#object");
    r.put("id", o.bucket() + "/" + o.name() + "/" + o.generation());
    r.put("selfLink", base + "/storage/v1/b/" + o.bucket() + "/o/" + encoded);
    r.put(
        "mediaLink",
        base
            + "/download/storage/v1/b/"
            + o.bucket()
            + "/o/"
            + encoded
            + "?generation="
            + o.generation()
            + "&alt=media");
    r.put("name", o.name());
    r.put("bucket", o.bucket());
    r.put("generation", Long.toString(o.generation()));
    r.put("metageneration", Long.toString(o.metageneration()));
    r.put("contentType", o.contentType());
    r.put("storageClass", "STANDARD");
    r.put("size", Long.toString(o.size()));
    r.put("md5Hash", o.md5());
    r.put("crc32c", o.crc32c());
    r.put("etag", etag(o));
    r.put("timeCreated", o.timeCreated().toString());
    r.put("updated", o.updated().toString());
    r.put("timeStorageClassUpdated", o.timeCreated().toString());
    if (!o.metadata().isEmpty()) {
      r.put("metadata", o.metadata());
    }
    if (o.contentEncoding() != null) {
      r.put("contentEncoding", o.contentEncoding());
    }
    if (o.contentDisposition() != null) {
      r.put("contentDisposition", o.contentDisposition());
    }
    if (o.cacheControl() != null) {
      r.put("cacheControl", o.cacheControl());
    }
    return r;
  }

  static String etag(ObjectMeta o) {
    return Base64.getEncoder()
        .withoutPadding()
        .encodeToString(
            (o.generation() + ":" + o.metageneration()).getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, Object> notification(Notifications.Config c, String base) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#notification");
    r.put("id", c.id());
    r.put("selfLink", base + "/storage/v1/b/" + c.bucket() + "/notificationConfigs/" + c.id());
    r.put("topic", "//pubsub.googleapis.com/projects/" + c.project() + "/topics/" + c.topic());
    r.put("payload_format", c.payloadFormat());
    if (!c.eventTypes().isEmpty()) {
      r.put("event_types", c.eventTypes());
    }
    if (!c.customAttributes().isEmpty()) {
      r.put("custom_attributes", c.customAttributes());
    }
    if (c.objectNamePrefix() != null) {
      r.put("object_name_prefix", c.objectNamePrefix());
    }
    r.put("etag", c.id());
    return r;
  }

  static Map<String, Object> error(int status, String reason, String message) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("domain", "global");
    detail.put("reason", reason);
    detail.put("message", message);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", status);
    error.put("message", message);
    error.put("errors", List.of(detail));
    return Map.of("error", error);
  }
}
