package dev.cirrus.local.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A bucket's writable configuration as the JSON API takes it: checked the way the service checks
 * it, merged for {@code patch}, replaced for {@code update}, with what the service adds itself
 * (retention effective time, the lock time of uniform access). Kept as JSON: the emulator stores
 * and returns it, and enforces only uniform access and the retention lock.
 */
public final class BucketSettings {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Fields a client may set at any time. */
  private static final Set<String> MUTABLE =
      Set.of(
          "labels",
          "versioning",
          "lifecycle",
          "cors",
          "website",
          "logging",
          "billing",
          "encryption",
          "defaultEventBasedHold",
          "retentionPolicy",
          "iamConfiguration",
          "storageClass",
          "rpo",
          "autoclass",
          "softDeletePolicy");

  /** Fields only an insert may set. */
  private static final Set<String> AT_CREATION =
      Set.of("location", "customPlacementConfig", "hierarchicalNamespace");

  private static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD",
          "NEARLINE",
          "COLDLINE",
          "ARCHIVE",
          "MULTI_REGIONAL",
          "REGIONAL",
          "DURABLE_REDUCED_AVAILABILITY");

  private static final Pattern LABEL_KEY = Pattern.compile("^[\\p{Ll}][\\p{Ll}\\p{Nd}_-]{0,62}$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^[\\p{Ll}\\p{Nd}_-]{0,63}$");
  private static final long MAX_RETENTION_SECONDS = 3_155_760_000L;

  /** How long after enabling uniform access it can still be turned off. */
  private static final Duration UNIFORM_LOCK = Duration.ofDays(90);

  private BucketSettings() {}

  /** Uniform bucket-level access with public access prevention: how Cirrus's buckets are made. */
  public static ObjectNode uniformPrivate() {
    ObjectNode iam = NODES.objectNode();
    iam.putObject("uniformBucketLevelAccess").put("enabled", true);
    iam.put("publicAccessPrevention", "enforced");
    ObjectNode body = NODES.objectNode();
    body.set("iamConfiguration", iam);
    return body;
  }

  /** The configuration of a new bucket from the insert's body. */
  public static ObjectNode forInsert(JsonNode body, Instant now) {
    ObjectNode settings = NODES.objectNode();
    settings.put("location", "US");
    settings.put("storageClass", "STANDARD");
    for (String field : AT_CREATION) {
      if (body.hasNonNull(field)) {
        settings.set(field, body.get(field));
      }
    }
    if (body.hasNonNull("location")) {
      settings.put("location", body.get("location").asText().toUpperCase(Locale.ROOT));
    }
    ObjectNode empty = NODES.objectNode();
    return apply(settings, empty, body, now, false);
  }

  /** {@code PATCH}: what the patch names replaces (null removes), labels merge key by key. */
  public static ObjectNode patch(ObjectNode current, JsonNode patch, Instant now) {
    return apply(current.deepCopy(), current, patch, now, true);
  }

  /** {@code PUT}: every mutable field is what the body says, absent ones are cleared. */
  public static ObjectNode replace(ObjectNode current, JsonNode body, Instant now) {
    ObjectNode next = current.deepCopy();
    for (String field : MUTABLE) {
      if (!body.has(field) && !field.equals("storageClass") && !field.equals("iamConfiguration")) {
        next.remove(field);
      }
    }
    if (retentionLocked(current) && !body.hasNonNull("retentionPolicy")) {
      throw lockedRetention();
    }
    return apply(next, current, body, now, false);
  }

  /**
   * The configuration with the retention policy locked.
   *
   * @throws StorageError 400 when there is no retention policy to lock
   */
  public static ObjectNode lockRetention(ObjectNode current) {
    if (!current.has("retentionPolicy")) {
      throw StorageError.invalid("The bucket has no retention policy to lock.");
    }
    ObjectNode next = current.deepCopy();
    ((ObjectNode) next.get("retentionPolicy")).put("isLocked", true);
    return next;
  }

  private static ObjectNode apply(
      ObjectNode next, ObjectNode current, JsonNode body, Instant now, boolean patch) {
    Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String field = e.getKey();
      JsonNode value = e.getValue();
      if (!MUTABLE.contains(field)) {
        continue; // output-only and creation-only fields are ignored, as the service does
      }
      if (value.isNull()) {
        if (field.equals("retentionPolicy") && retentionLocked(current)) {
          throw lockedRetention();
        }
        if (!field.equals("storageClass") && !field.equals("iamConfiguration")) {
          next.remove(field);
        }
        continue;
      }
      switch (field) {
        case "labels" -> next.set(field, labels(patch ? current.path("labels") : null, value));
        case "storageClass" -> next.put(field, storageClass(value));
        case "versioning" -> next.set(field, flag(field, value, "enabled"));
        case "defaultEventBasedHold" -> next.put(field, bool(field, value));
        case "retentionPolicy" -> next.set(field, retention(current, value, now));
        case "iamConfiguration" -> next.set(field, iam(current, value, now));
        case "cors" -> next.set(field, array(field, value));
        case "rpo" -> next.put(field, rpo(value));
        default -> next.set(field, object(field, value));
      }
    }
    if (!next.has("iamConfiguration")) {
      next.set("iamConfiguration", iam(current, NODES.objectNode(), now));
    }
    return next;
  }

  private static JsonNode labels(JsonNode current, JsonNode value) {
    ObjectNode labels = NODES.objectNode();
    if (current != null && current.isObject()) {
      labels.setAll((ObjectNode) current);
    }
    object("labels", value)
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNull()) {
                labels.remove(e.getKey());
                return;
              }
              if (!LABEL_KEY.matcher(e.getKey()).matches()
                  || !e.getValue().isTextual()
                  || !LABEL_VALUE.matcher(e.getValue().asText()).matches()) {
                throw StorageError.invalid("Invalid label: '" + e.getKey() + "'.");
              }
              labels.put(e.getKey(), e.getValue().asText());
            });
    if (labels.size() > 64) {
      throw StorageError.invalid("A bucket has at most 64 labels.");
    }
    return labels;
  }

  private static String storageClass(JsonNode value) {
    String upper = value.asText().toUpperCase(Locale.ROOT);
    if (!value.isTextual() || !STORAGE_CLASSES.contains(upper)) {
      throw StorageError.invalid("Invalid value for storageClass: " + value);
    }
    return upper;
  }

  private static String rpo(JsonNode value) {
    String upper = value.asText().toUpperCase(Locale.ROOT);
    if (!upper.equals("DEFAULT") && !upper.equals("ASYNC_TURBO")) {
      throw StorageError.invalid("Invalid value for rpo: " + value);
    }
    return upper;
  }

  private static JsonNode retention(ObjectNode current, JsonNode value, Instant now) {
    JsonNode period = object("retentionPolicy", value).path("retentionPeriod");
    long seconds;
    try {
      seconds = Long.parseLong(period.asText());
    } catch (NumberFormatException e) {
      throw StorageError.invalid("Invalid value for retentionPolicy.retentionPeriod: " + period);
    }
    if (seconds < 1 || seconds > MAX_RETENTION_SECONDS) {
      throw StorageError.invalid(
          "retentionPolicy.retentionPeriod must be between 1 and " + MAX_RETENTION_SECONDS + ".");
    }
    JsonNode old = current.path("retentionPolicy");
    boolean locked = retentionLocked(current);
    if (locked && seconds < old.path("retentionPeriod").asLong()) {
      throw lockedRetention();
    }
    ObjectNode policy = NODES.objectNode();
    policy.put("retentionPeriod", Long.toString(seconds));
    policy.put(
        "effectiveTime",
        old.has("effectiveTime") ? old.get("effectiveTime").asText() : now.toString());
    if (locked) {
      policy.put("isLocked", true);
    }
    return policy;
  }

  private static JsonNode iam(ObjectNode current, JsonNode value, Instant now) {
    ObjectNode given = object("iamConfiguration", value);
    JsonNode old = current.path("iamConfiguration");
    boolean wasUniform = uniform(current);
    JsonNode asked =
        given.has("uniformBucketLevelAccess")
            ? given.get("uniformBucketLevelAccess")
            : given.path("bucketPolicyOnly");
    boolean uniform =
        asked.has("enabled")
            ? bool("uniformBucketLevelAccess.enabled", asked.get("enabled"))
            : wasUniform;
    String prevention =
        given.hasNonNull("publicAccessPrevention")
            ? given.get("publicAccessPrevention").asText()
            : old.path("publicAccessPrevention").asText("inherited");
    if (prevention.equals("unspecified")) {
      prevention = "inherited";
    }
    if (!prevention.equals("inherited") && !prevention.equals("enforced")) {
      throw StorageError.invalid("Invalid value for publicAccessPrevention: " + prevention);
    }
    ObjectNode access = NODES.objectNode().put("enabled", uniform);
    if (uniform) {
      access.put(
          "lockedTime",
          wasUniform && old.path("uniformBucketLevelAccess").has("lockedTime")
              ? old.path("uniformBucketLevelAccess").get("lockedTime").asText()
              : now.plus(UNIFORM_LOCK).toString());
    }
    ObjectNode iam = NODES.objectNode();
    iam.set("bucketPolicyOnly", access.deepCopy());
    iam.set("uniformBucketLevelAccess", access);
    iam.put("publicAccessPrevention", prevention);
    return iam;
  }

  /** Whether a configuration's retention policy is locked for good. */
  public static boolean retentionLocked(JsonNode settings) {
    return settings.path("retentionPolicy").path("isLocked").asBoolean(false);
  }

  /** Whether a configuration has uniform bucket-level access on. */
  public static boolean uniform(JsonNode settings) {
    return settings
        .path("iamConfiguration")
        .path("uniformBucketLevelAccess")
        .path("enabled")
        .asBoolean(false);
  }

  private static StorageError lockedRetention() {
    return StorageError.forbidden(
        "The retention policy of this bucket is locked: it cannot be removed or reduced.");
  }

  private static ObjectNode flag(String field, JsonNode value, String name) {
    ObjectNode given = object(field, value);
    ObjectNode result = NODES.objectNode();
    result.put(name, given.has(name) && bool(field + "." + name, given.get(name)));
    return result;
  }

  private static boolean bool(String field, JsonNode value) {
    if (!value.isBoolean() && !(value.isTextual() && value.asText().matches("true|false"))) {
      throw StorageError.invalid("Invalid value for " + field + ": " + value);
    }
    return value.asBoolean();
  }

  private static ObjectNode object(String field, JsonNode value) {
    if (!value.isObject()) {
      throw StorageError.invalid("Invalid value for " + field + ": must be an object.");
    }
    return (ObjectNode) value;
  }

  private static JsonNode array(String field, JsonNode value) {
    if (!value.isArray()) {
      throw StorageError.invalid("Invalid value for " + field + ": must be a list.");
    }
    return value;
  }
}
