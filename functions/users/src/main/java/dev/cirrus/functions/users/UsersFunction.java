package dev.cirrus.functions.users;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.accounts.AccountDeletionService;
import dev.cirrus.shared.exports.AccountExportService;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.users.UserService;
import dev.cirrus.shared.webhooks.WebhookService;
import java.security.SecureRandom;
import java.util.Set;
import java.util.function.Function;

/**
 * HTTPS function: {@code /v1/me}, settings, device tokens, the account's data export and its
 * deletion, and its webhook endpoints.
 */
public final class UsersFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public UsersFunction() {
    this(Platform.fromEnvironment("users"));
  }

  private UsersFunction(Platform platform) {
    this(
        users(platform),
        platform.accountDeletions(),
        platform.accountExports(),
        webhooks(platform),
        platform::httpApi);
  }

  /** Built from its services and the HTTP boundary, so a test needs no Google client. */
  UsersFunction(
      UserService users,
      AccountDeletionService deletions,
      AccountExportService exports,
      WebhookService webhooks,
      Function<Router, HttpApi> boundary) {
    this.api = boundary.apply(UsersRoutes.create(users, deletions, exports, webhooks));
  }

  /** Endpoints in Firestore; a redelivery is published on webhook-deliveries. */
  private static WebhookService webhooks(Platform platform) {
    return new WebhookService(
        platform.adapters().webhookEndpoints(),
        platform.adapters().webhookDeliveries(),
        platform.adapters().eventBus(),
        platform.messages(),
        new SecureRandom(),
        platform.ids(),
        platform.clock(),
        platform.config().isDemo());
  }

  /** The composition root: the Firestore adapter, warmed up while the invoker starts. */
  private static UserService users(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.TOKENS));
    return new UserService(
        platform.adapters().users(),
        platform.userCache(),
        platform.adapters().accountDeletions(),
        platform.clock(),
        platform.config().limits());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
