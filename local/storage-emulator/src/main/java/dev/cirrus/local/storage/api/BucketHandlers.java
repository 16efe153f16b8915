package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Buckets: insert, list, get, delete. */
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
        .add("DELETE", "/b/{bucket}", this::delete);
  }

  private void insert(Exchange exchange) throws IOException {
    JsonNode body = exchange.readJson();
    String name = body.path("name").asText(null);
    exchange.sendJson(200, Resources.bucket(store.createBucket(name), exchange.base()));
  }

  private void list(Exchange exchange) throws IOException {
    List<Object> items = new ArrayList<>();
    store.buckets().forEach(b -> items.add(Resources.bucket(b, exchange.base())));
    exchange.sendJson(200, Map.of("kind", "storage#buckets", "items", items));
  }

  private void get(Exchange exchange) throws IOException {
    exchange.sendJson(
        200, Resources.bucket(store.bucket(exchange.param("bucket")), exchange.base()));
  }

  private void delete(Exchange exchange) throws IOException {
    store.deleteBucket(exchange.param("bucket"));
    notifications.dropBucket(exchange.param("bucket"));
    exchange.sendEmpty(204);
  }
}
