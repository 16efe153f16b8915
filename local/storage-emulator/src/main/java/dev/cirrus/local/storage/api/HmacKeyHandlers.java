package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.storage.HmacKeys;
import dev.cirrus.local.storage.StorageError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A project's HMAC keys: create, list, get, update, delete. */
final class HmacKeyHandlers {
  private final HmacKeys keys;

  HmacKeyHandlers(HmacKeys keys) {
    this.keys = keys;
  }

  void routes(JsonRoutes routes) {
    routes
        .add("POST", "/projects/{project}/hmacKeys", this::create)
        .add("GET", "/projects/{project}/hmacKeys", this::list)
        .add("GET", "/projects/{project}/hmacKeys/{accessId}", this::get)
        .add("PUT", "/projects/{project}/hmacKeys/{accessId}", this::update)
        .add("DELETE", "/projects/{project}/hmacKeys/{accessId}", this::delete);
  }

  private void create(Exchange exchange) throws IOException {
    HmacKeys.Created created =
        keys.create(
            exchange.param("project"), exchange.query().get("serviceAccountEmail").orElse(null));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#hmacKey");
    body.put("metadata", metadata(created.key(), exchange.base()));
    body.put("secret", created.secret());
    exchange.sendJson(200, body);
  }

  private void list(Exchange exchange) throws IOException {
    Query query = exchange.query();
    int max = (int) Math.min(1000, query.number("maxResults").orElse(1000));
    if (max < 1) {
      throw StorageError.invalid("Invalid value for maxResults");
    }
    List<HmacKeys.Key> found =
        keys.list(
            exchange.param("project"),
            query.get("serviceAccountEmail").orElse(null),
            query.flag("showDeletedKeys"),
            query.get("pageToken").orElse(null));
    List<Object> items = new ArrayList<>();
    found.stream().limit(max).forEach(k -> items.add(metadata(k, exchange.base())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#hmacKeysMetadata");
    body.put("items", items);
    if (found.size() > max) {
      body.put("nextPageToken", found.get(max - 1).accessId());
    }
    exchange.sendJson(200, body);
  }

  private void get(Exchange exchange) throws IOException {
    HmacKeys.Key key = keys.get(exchange.param("project"), exchange.param("accessId"));
    exchange.sendJson(200, metadata(key, exchange.base()));
  }

  private void update(Exchange exchange) throws IOException {
    JsonNode body = exchange.readJson();
    HmacKeys.Key key =
        keys.update(
            exchange.param("project"),
            exchange.param("accessId"),
            body.path("state").asText(null),
            body.hasNonNull("etag") ? body.get("etag").asText() : null);
    exchange.sendJson(200, metadata(key, exchange.base()));
  }

  private void delete(Exchange exchange) throws IOException {
    keys.delete(exchange.param("project"), exchange.param("accessId"));
    exchange.sendEmpty(204);
  }

  private static Map<String, Object> metadata(HmacKeys.Key key, String base) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "storage#hmacKeyMetadata");
    r.put("id", key.project() + "/" + key.accessId());
    r.put(
        "selfLink", base + "/storage/v1/projects/" + key.project() + "/hmacKeys/" + key.accessId());
    r.put("accessId", key.accessId());
    r.put("projectId", key.project());
    r.put("serviceAccountEmail", key.serviceAccountEmail());
    r.put("state", key.state());
    r.put("timeCreated", key.timeCreated().toString());
    r.put("updated", key.updated().toString());
    r.put("etag", HmacKeys.etag(key));
    return r;
  }
}
