package dev.cirrus.functions.users;

import dev.cirrus.shared.http.Reply;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.webhooks.WebhookService;
import dev.cirrus.shared.webhooks.WebhookService.Change;
import dev.cirrus.shared.webhooks.WebhookService.Registration;

/** The webhooks API, {@code /v1/webhooks}: each handler decodes, calls the service, encodes. */
final class WebhookRoutes {
  private WebhookRoutes() {}

  static Router add(Router router, WebhookService webhooks) {
    return router
        .post(
            "/v1/webhooks",
            request ->
                Reply.created(
                    webhooks.register(request.principal(), request.body(Registration.class))))
        .get(
            "/v1/webhooks",
            request ->
                Reply.ok(
                    webhooks.list(
                        request.principal(),
                        request.query("scope"),
                        request.query("pageSize"),
                        request.query("pageToken"))))
        .get(
            "/v1/webhooks/{id}",
            request -> Reply.ok(webhooks.get(request.principal(), request.pathParam("id"))))
        .patch(
            "/v1/webhooks/{id}",
            request ->
                Reply.ok(
                    webhooks.update(
                        request.principal(), request.pathParam("id"), request.body(Change.class))))
        .delete(
            "/v1/webhooks/{id}",
            request -> {
              webhooks.delete(request.principal(), request.pathParam("id"));
              return Reply.noContent();
            })
        .post(
            "/v1/webhooks/{id}:rotateSecret",
            request -> Reply.ok(webhooks.rotate(request.principal(), request.pathParam("id"))))
        .get(
            "/v1/webhooks/{id}/deliveries",
            request ->
                Reply.ok(
                    webhooks.deliveries(
                        request.principal(),
                        request.pathParam("id"),
                        request.query("pageSize"),
                        request.query("pageToken"))))
        .post(
            "/v1/webhooks/{id}/deliveries/{deliveryId}:redeliver",
            request ->
                Reply.accepted(
                    webhooks.redeliver(
                        request.principal(),
                        request.pathParam("id"),
                        request.pathParam("deliveryId"))));
  }
}
