package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A bucket's Pub/Sub notification configurations: insert, list, get, delete. */
final class NotificationHandlers {
  private final ObjectStore store;
  private final Notifications notifications;

  NotificationHandlers(ObjectStore store, Notifications notifications) {
    this.store = store;
    this.notifications = notifications;
  }

  void routes(JsonRoutes routes) {
    routes
        .add("POST", "/b/{bucket}/notificationConfigs", this::insert)
        .add("GET", "/b/{bucket}/notificationConfigs", this::list)
        .add("GET", "/b/{bucket}/notificationConfigs/{id}", this::get)
        .add("DELETE", "/b/{bucket}/notificationConfigs/{id}", this::delete);
  }

  private void insert(Exchange exchange) throws IOException {
    String bucket = exchange.param("bucket");
    store.bucket(bucket);
    JsonNode body = exchange.readJson();
    List<String> types = new ArrayList<>();
    body.path("event_types").forEach(t -> types.add(t.asText()));
    Map<String, String> custom = new HashMap<>();
    body.path("custom_attributes")
        .properties()
        .forEach(e -> custom.put(e.getKey(), e.getValue().asText()));
    Notifications.Config config =
        notifications.create(
            bucket,
            ObjectFieldsJson.text(body, "topic"),
            ObjectFieldsJson.text(body, "payload_format"),
            types,
            custom,
            ObjectFieldsJson.text(body, "object_name_prefix"));
    exchange.sendJson(200, Resources.notification(config, exchange.base()));
  }

  private void list(Exchange exchange) throws IOException {
    String bucket = exchange.param("bucket");
    store.bucket(bucket);
    List<Object> items = new ArrayList<>();
    notifications.list(bucket).forEach(c -> items.add(Resources.notification(c, exchange.base())));
    exchange.sendJson(200, Map.of("kind", "storage#notifications", "items", items));
  }

  private void get(Exchange exchange) throws IOException {
    String bucket = exchange.param("bucket");
    store.bucket(bucket);
    exchange.sendJson(
        200,
        Resources.notification(notifications.get(bucket, exchange.param("id")), exchange.base()));
  }

  private void delete(Exchange exchange) throws IOException {
    String bucket = exchange.param("bucket");
    store.bucket(bucket);
    notifications.delete(bucket, exchange.param("id"));
    exchange.sendEmpty(204);
  }
}
