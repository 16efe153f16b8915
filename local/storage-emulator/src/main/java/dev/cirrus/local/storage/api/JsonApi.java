package dev.cirrus.local.storage.api;

import com.sun.net.httpserver.HttpExchange;
import dev.cirrus.local.storage.Faults;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.StorageError;
import java.io.IOException;
import java.util.Map;

/**
 * Cloud Storage's JSON API over {@link ObjectStore}: a route table ({@link JsonRoutes}) over one
 * handler class per resource (buckets, objects, uploads, notifications). Every failure becomes the
 * real service's JSON error body here.
 */
public final class JsonApi {
  private final Faults faults;
  private final ObjectStore store;
  private final JsonRoutes routes = new JsonRoutes();
  private final ObjectHandlers objects;
  private final UploadHandlers uploads;

  public JsonApi(ObjectStore store, Notifications notifications, Faults faults) {
    this.faults = faults;
    this.store = store;
    this.objects = new ObjectHandlers(store);
    this.uploads = new UploadHandlers(store);
    new BucketHandlers(store, notifications).routes(routes);
    objects.routes(routes);
    uploads.routes(routes);
    new NotificationHandlers(store, notifications).routes(routes);
    new ProjectHandlers().routes(routes);
    new AclHandlers(store).routes(routes);
    new IamHandlers(store).routes(routes);
    new HmacKeyHandlers(store.hmacKeys()).routes(routes);
  }

  /** The method the client means (see {@link Exchange#effectiveMethod}). */
  public static String effectiveMethod(HttpExchange exchange) {
    return Exchange.effectiveMethod(exchange);
  }

  /** Serves one exchange; answers errors in the service's JSON shape. */
  public void handle(HttpExchange exchange) throws IOException {
    try {
      routes.dispatch(exchange, faults, store);
    } catch (StorageError e) {
      Exchange.closeIfBodyMayBeUnread(exchange);
      Exchange.sendJson(
          exchange, e.status(), Resources.error(e.status(), e.reason(), e.getMessage()));
    }
  }

  JsonRoutes routes() {
    return routes;
  }

  /** An object's bytes, for the XML API's GET and HEAD. */
  void download(HttpExchange exchange, String bucket, String name) throws IOException {
    objects.download(new Exchange(exchange, Map.of(), faults, store), bucket, name);
  }

  /** The upload handlers, whose sessions the XML API's signed-URL uploads open too. */
  UploadHandlers uploads() {
    return uploads;
  }
}
