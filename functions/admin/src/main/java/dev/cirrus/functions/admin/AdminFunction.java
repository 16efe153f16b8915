package dev.cirrus.functions.admin;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.accounts.AccountDeletionService;
import dev.cirrus.shared.admin.Actor;
import dev.cirrus.shared.admin.AdminService;
import dev.cirrus.shared.admin.AdminService.RolesRequest;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.deadletters.DeadLetterService;
import dev.cirrus.shared.http.ApiRequest;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Reply;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import java.util.Set;
import java.util.function.Function;

/**
 * HTTPS function for operators ({@code admin} role): dead letters listed and re-driven, users'
 * roles, standing and accounts, and the audit log of all of it. Apart from the user-facing
 * functions so that only it may publish to every topic and change accounts. Its boundary verifies
 * every token afresh ({@link Platform#adminHttpApi}).
 */
public final class AdminFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public AdminFunction() {
    this(Platform.fromEnvironment("admin"));
  }

  private AdminFunction(Platform platform) {
    this(
        warm(platform).deadLetters(),
        admin(platform),
        platform.accountDeletions(),
        platform::adminHttpApi);
  }

  /** Built from its services and the HTTP boundary, so a test needs no Google client. */
  AdminFunction(
      DeadLetterService deadLetters,
      AdminService admin,
      AccountDeletionService deletions,
      Function<Router, HttpApi> boundary) {
    this.api = boundary.apply(routes(deadLetters, admin, deletions));
  }

  private static Platform warm(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.TOKENS));
    return platform;
  }

  /** The admin tools on the platform's adapters; also what the operator's command runs. */
  static AdminService admin(Platform platform) {
    return new AdminService(
        platform.adapters().identity(),
        platform.adapters().adminRegistry(),
        platform.auditTrail(),
        platform.adapters().users(),
        platform.adapters().uploads(),
        platform.userCache(),
        new AccessPolicy());
  }

  /** Each handler decodes, calls the service, encodes. */
  static Router routes(
      DeadLetterService deadLetters, AdminService admin, AccountDeletionService deletions) {
    return new Router()
        .get(
            "/v1/admin/dead-letters",
            request ->
                Reply.ok(
                    deadLetters.list(
                        request.principal(),
                        request.query("pageSize"),
                        request.query("pageToken"))))
        .post(
            "/v1/admin/dead-letters/{id}:redrive",
            request -> Reply.ok(deadLetters.redrive(actor(request), request.pathParam("id"))))
        .get(
            "/v1/admin/users/{uid}",
            request -> Reply.ok(admin.user(actor(request), request.pathParam("uid"))))
        .put(
            "/v1/admin/users/{uid}/roles",
            request ->
                Reply.ok(
                    admin.setRoles(
                        actor(request),
                        request.pathParam("uid"),
                        request.body(RolesRequest.class))))
        .post(
            "/v1/admin/users/{uid}:disable",
            request -> Reply.ok(admin.disable(actor(request), request.pathParam("uid"))))
        .post(
            "/v1/admin/users/{uid}:enable",
            request -> Reply.ok(admin.enable(actor(request), request.pathParam("uid"))))
        .post(
            "/v1/admin/users/{uid}:delete",
            request ->
                Reply.accepted(deletions.deleteFor(actor(request), request.pathParam("uid"))))
        .get(
            "/v1/admin/audit",
            request ->
                Reply.ok(
                    admin.audit(
                        actor(request), request.query("pageSize"), request.query("pageToken"))));
  }

  private static Actor actor(ApiRequest request) {
    return new Actor(request.principal(), request.requestId());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
