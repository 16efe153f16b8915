package dev.cirrus.functions.users;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.adapter.firestore.FirestoreUserStore;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.users.UserService;
import java.util.Set;

/** HTTPS function: {@code /v1/me}, settings and device tokens. */
public final class UsersFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public UsersFunction() {
    this(Platform.fromEnvironment("users"));
  }

  /** The composition root: the Firestore adapter, warmed up while the invoker starts. */
  UsersFunction(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.TOKENS));
    this.api =
        platform.httpApi(
            UsersRoutes.create(
                new UserService(
                    new FirestoreUserStore(platform.clients().firestore()),
                    platform.clock(),
                    platform.config().limits().defaultQuotaBytes(),
                    platform.config().limits().maxDevicesPerUser())));
  }

  UsersFunction(Platform platform, UserService users) {
    this.api = platform.httpApi(UsersRoutes.create(users));
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
