package dev.cirrus.functions.users;

import dev.cirrus.shared.accounts.AccountDeletionService;
import dev.cirrus.shared.exports.AccountExportService;
import dev.cirrus.shared.http.Reply;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.users.DeviceRegistration;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserService;
import dev.cirrus.shared.webhooks.WebhookService;
import java.util.List;
import java.util.Map;

/** The users API, and the account's webhooks: each handler decodes, calls the service, encodes. */
final class UsersRoutes {
  /** {@code PUT /v1/me/settings} body. */
  record SettingsBody(List<String> mutedTypes) {}

  /** {@code POST /v1/me/devices} body. */
  record DeviceBody(String token, String platform) {}

  /** {@code POST /v1/me/devices} answer. */
  record DeviceCreated(String id) {}

  private UsersRoutes() {}

  static Router create(
      UserService users,
      AccountDeletionService deletions,
      AccountExportService exports,
      WebhookService webhooks) {
    Router router =
        new Router()
            .publicGet("/v1/health", request -> Reply.ok(Map.of("status", "ok")))
            .get("/v1/me", request -> Reply.ok(users.me(request.principal())))
            .delete("/v1/me", request -> Reply.accepted(deletions.deleteOwn(request.principal())))
            .get("/v1/me/deletion", request -> Reply.ok(deletions.ownDeletion(request.principal())))
            .post("/v1/me:export", request -> Reply.accepted(exports.request(request.principal())))
            .get("/v1/me/export", request -> Reply.ok(exports.own(request.principal())))
            .put(
                "/v1/me/settings",
                request -> {
                  SettingsBody body = request.body(SettingsBody.class);
                  return Reply.ok(
                      users.updateSettings(request.principal(), new Settings(body.mutedTypes())));
                })
            .post(
                "/v1/me/devices",
                request -> {
                  DeviceBody body = request.body(DeviceBody.class);
                  DeviceRegistration registration =
                      users.registerDevice(request.principal(), body.token(), body.platform());
                  return Reply.created(new DeviceCreated(registration.device().id()));
                })
            .delete(
                "/v1/me/devices/{id}",
                request -> {
                  users.removeDevice(request.principal(), request.pathParam("id"));
                  return Reply.noContent();
                });
    return WebhookRoutes.add(router, webhooks);
  }
}
