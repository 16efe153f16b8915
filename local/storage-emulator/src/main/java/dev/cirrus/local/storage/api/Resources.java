package dev.cirrus.local.storage.api;

import dev.cirrus.local.storage.Acl;
import dev.cirrus.local.storage.AclList;
import dev.cirrus.local.storage.BucketMeta;
import dev.cirrus.local.storage.IamPolicy;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectMeta;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Buckets and objects in the JSON shape of the real service's resources. */
public final class Resources {
  private Resources() {}

  /**
   * The bucket resource; with {@code full} projection its ACLs and owner too, unless uniform access
   * hides them.
   */
  static Map<String, Object> bucket(BucketMeta b, String base, boolean full) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#bucket");
    r.put("selfLink", base + "/storage/v1/b/" + b.name());
    r.put("id", b.name());
    r.put("name", b.name());
    r.put("projectNumber", b.projectNumber());
    r.put("metageneration", Long.toString(b.metageneration()));
    r.put("etag", etag(b.metageneration()));
    r.put("timeCreated", b.timeCreated().toString());
    r.put("updated", b.updated().toString());
    r.put("locationType", "multi-region");
    r.put("rpo", "DEFAULT");
    b.settings().fields().forEachRemaining(e -> r.put(e.getKey(), e.getValue()));
    if (full && !b.uniform()) {
      r.put("acl", acls(b.acl(), a -> bucketAcl(b, a, base)));
      r.put("defaultObjectAcl", acls(b.defaultObjectAcl(), a -> defaultObjectAcl(b.name(), a)));
      r.put("owner", Map.of("entity", "project-owners-" + b.projectNumber()));
    }
    return r;
  }

  static Map<String, Object> bucketAcl(BucketMeta b, Acl a, String base) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#bucketAccessControl");
    r.put("id", b.name() + "/" + a.entity());
    r.put("selfLink", base + "/storage/v1/b/" + b.name() + "/acl/" + pathSegment(a.entity()));
    r.put("bucket", b.name());
    entry(r, a);
    r.put("etag", etag(b.metageneration()));
    return r;
  }

  static Map<String, Object> defaultObjectAcl(String bucket, Acl a) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#objectAccessControl");
    r.put("bucket", bucket);
    entry(r, a);
    r.put("etag", "CAE=");
    return r;
  }

  static Map<String, Object> objectAcl(ObjectMeta o, Acl a, String base) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#objectAccessControl");
    r.put("id", o.bucket() + "/" + o.name() + "/" + o.generation() + "/" + a.entity());
    r.put(
        "selfLink",
        base
            + "/storage/v1/b/"
            + o.bucket()
            + "/o/"
            + pathSegment(o.name())
            + "/acl/"
            + pathSegment(a.entity()));
    r.put("bucket", o.bucket());
    r.put("object", o.name());
    r.put("generation", Long.toString(o.generation()));
    entry(r, a);
    r.put("etag", etag(o));
    return r;
  }

  /** The fields the service derives from an entity's spelling. */
  private static void entry(Map<String, Object> r, Acl a) {
    String entity = a.entity();
    r.put("entity", entity);
    r.put("role", a.role());
    int dash = entity.indexOf('-');
    String who = dash < 0 ? "" : entity.substring(dash + 1);
    if (entity.startsWith("user-") || entity.startsWith("group-")) {
      r.put(who.contains("@") ? "email" : "entityId", who);
    } else if (entity.startsWith("domain-")) {
      r.put("domain", who);
    } else if (entity.startsWith("project-")) {
      int second = who.indexOf('-');
      r.put(
          "projectTeam",
          Map.of("projectNumber", who.substring(second + 1), "team", who.substring(0, second)));
    }
  }

  static List<Object> acls(AclList list, Function<Acl, Map<String, Object>> shape) {
    List<Object> items = new ArrayList<>();
    list.entries().forEach(a -> items.add(shape.apply(a)));
    return items;
  }

  static Map<String, Object> policy(BucketMeta b, IamPolicy p) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#policy");
    r.put("resourceId", "projects/_/buckets/" + b.name());
    r.put("version", p.version());
    r.put("etag", etag(b.metageneration()));
    List<Object> bindings = new ArrayList<>();
    for (IamPolicy.Binding binding : p.bindings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", binding.role());
      m.put("members", binding.members());
      if (binding.condition() != null) {
        m.put("condition", binding.condition());
      }
      bindings.add(m);
    }
    r.put("bindings", bindings);
    return r;
  }

  /** An etag in the service's shape: a small protobuf, {@code CAE=} for metageneration 1. */
  static String etag(long metageneration) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0x08);
    long v = metageneration;
    while ((v & ~0x7FL) != 0) {
      bytes.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    bytes.write((int) v);
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The object resource, also the JSON_API_V1 notification payload. */
  public static Map<String, Object> object(ObjectMeta o, String base) {
    return object(o, base, null);
  }

  /**
   * The object resource; for {@code full} projection (a non-null {@code bucket}) its ACL and owner
   * too, unless the bucket's uniform access hides the ACL.
   */
  static Map<String, Object> object(ObjectMeta o, String base, BucketMeta bucket) {
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
    if (bucket != null) {
      if (!bucket.uniform()) {
        r.put("acl", acls(o.acl(), a -> objectAcl(o, a, base)));
      }
      r.put("owner", Map.of("entity", "project-owners-" + bucket.projectNumber()));
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
