package dev.cirrus.functions.notifications;

import dev.cirrus.shared.http.Reply;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.notifications.NotificationService;

/** The notifications API: each handler decodes, calls the service, encodes. */
final class NotificationsRoutes {
  private NotificationsRoutes() {}

  static Router create(NotificationService notifications) {
    return new Router()
        .get(
            "/v1/notifications",
            request ->
                Reply.ok(
                    notifications.list(
                        request.principal(),
                        request.query("unreadOnly"),
                        request.query("pageSize"),
                        request.query("pageToken"))))
        .post(
            "/v1/notifications/{id}:read",
            request -> {
              notifications.read(request.principal(), request.pathParam("id"));
              return Reply.noContent();
            })
        .post(
            "/v1/notifications:readAll",
            request -> {
              notifications.readAll(request.principal());
              return Reply.noContent();
            });
  }
}
