package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.local.storage.Acl;
import dev.cirrus.local.storage.AclList;
import dev.cirrus.local.storage.BucketMeta;
import dev.cirrus.local.storage.BucketPreconditions;
import dev.cirrus.local.storage.BucketSettings;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.StorageError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Buckets: insert, list, get, patch, update, delete, lockRetentionPolicy. */
final class BucketHandlers {
  private final ObjectStore store;
  private final Notifications notifications;

  BucketHandlers(ObjectStore store, Notifications notifications) {
    this.store = store;
    this.notifications = notifications;
  }

  void routes(JsonRoutes routes) {
    routes
        .add("POST", "/b", this::insert)
        .add("GET", "/b", this::list)
        .add("GET", "/b/{bucket}", this::get)
        .add("PATCH", "/b/{bucket}", e -> update(e, true))
        .add("PUT", "/b/{bucket}", e -> update(e, false))
        .add("DELETE", "/b/{bucket}", this::delete)
        .add("POST", "/b/{bucket}/lockRetentionPolicy", this::lockRetentionPolicy);
  }

  private void insert(Exchange exchange) throws IOException {
    JsonNode body = exchange.readJson();
    Query query = exchange.query();
    String project =
        query
            .get("project")
            .orElseThrow(() -> StorageError.required("Required parameter: project"));
    BucketMeta bucket =
        store.createBucket(
            body.path("name").asText(null),
            project,
            body,
            query.get("predefinedAcl").orElse(null),
            query.get("predefinedDefaultObjectAcl").orElse(null));
    boolean full = exchange.fullProjection(body.has("acl") || body.has("defaultObjectAcl"));
    exchange.sendJson(200, Resources.bucket(bucket, exchange.base(), full));
  }

  private void list(Exchange exchange) throws IOException {
    Query query = exchange.query();
    String project = query.get("project").orElse(null);
    String prefix = query.get("prefix").orElse("");
    String after = query.get("pageToken").orElse("");
    int max = (int) Math.min(1000, query.number("maxResults").orElse(1000));
    if (max < 1) {
      throw StorageError.invalid("Invalid value for maxResults");
    }
    boolean full = exchange.fullProjection(false);
    List<Object> items = new ArrayList<>();
    String next = null;
    for (BucketMeta b : store.buckets()) {
      if ((project != null && !b.project().equals(project))
          || !b.name().startsWith(prefix)
          || b.name().compareTo(after) < 0) {
        continue;
      }
      if (items.size() == max) {
        next = b.name();
        break;
      }
      items.add(Resources.bucket(b, exchange.base(), full));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#buckets");
    body.put("items", items);
    if (next != null) {
      body.put("nextPageToken", next);
    }
    exchange.sendJson(200, body);
  }

  private void get(Exchange exchange) throws IOException {
    BucketMeta bucket =
        store.bucket(exchange.param("bucket"), exchange.query().bucketPreconditions());
    exchange.sendJson(
        200, Resources.bucket(bucket, exchange.base(), exchange.fullProjection(false)));
  }

  /** PATCH merges what the body names; PUT replaces every writable field. */
  private void update(Exchange exchange, boolean patch) throws IOException {
    JsonNode body = exchange.readJson();
    Query query = exchange.query();
    String predefinedAcl = query.get("predefinedAcl").orElse(null);
    String predefinedDefault = query.get("predefinedDefaultObjectAcl").orElse(null);
    BucketMeta updated =
        store.updateBucket(
            exchange.param("bucket"),
            query.bucketPreconditions(),
            (current, now) -> {
              ObjectNode settings =
                  patch
                      ? BucketSettings.patch(current.settings(), body, now)
                      : BucketSettings.replace(current.settings(), body, now);
              // ACLs are checked against the bucket as this request leaves it.
              boolean uniform = BucketSettings.uniform(settings);
              String project = current.projectNumber();
              AclList acl =
                  aclChange(
                      uniform,
                      project,
                      body.get("acl"),
                      predefinedAcl,
                      Acl.Scope.BUCKET,
                      current.acl());
              AclList defaultAcl =
                  aclChange(
                      uniform,
                      project,
                      body.get("defaultObjectAcl"),
                      predefinedDefault,
                      Acl.Scope.OBJECT,
                      current.defaultObjectAcl());
              return current.changed(now, settings, acl, defaultAcl, current.policy());
            });
    exchange.sendJson(
        200, Resources.bucket(updated, exchange.base(), exchange.fullProjection(true)));
  }

  /** The ACL a bucket update asks for: listed in the body, predefined, or unchanged. */
  private static AclList aclChange(
      boolean uniform,
      String projectNumber,
      JsonNode listed,
      String predefined,
      Acl.Scope scope,
      AclList current) {
    if ((listed == null || listed.isNull()) && predefined == null) {
      return current;
    }
    if (uniform) {
      throw Acl.refusedOnUniformAccess("update", "bucket policy");
    }
    return predefined != null
        ? AclList.predefined(predefined, scope, projectNumber)
        : AclList.of(listed, scope, current);
  }

  private void delete(Exchange exchange) throws IOException {
    store.deleteBucket(exchange.param("bucket"), exchange.query().bucketPreconditions());
    notifications.dropBucket(exchange.param("bucket"));
    exchange.sendEmpty(204);
  }

  /** Locks the retention policy for good; the service insists on the metageneration. */
  private void lockRetentionPolicy(Exchange exchange) throws IOException {
    BucketPreconditions conditions = exchange.query().bucketPreconditions();
    if (conditions.ifMetagenerationMatch().isEmpty()) {
      throw StorageError.required("Required parameter: ifMetagenerationMatch");
    }
    BucketMeta locked =
        store.updateBucket(
            exchange.param("bucket"),
            conditions,
            (current, now) ->
                current.retentionLocked()
                    ? current
                    : current.changed(
                        now,
                        BucketSettings.lockRetention(current.settings()),
                        current.acl(),
                        current.defaultObjectAcl(),
                        current.policy()));
    exchange.sendJson(200, Resources.bucket(locked, exchange.base(), false));
  }
}
