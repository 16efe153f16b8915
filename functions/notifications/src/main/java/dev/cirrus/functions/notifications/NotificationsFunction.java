package dev.cirrus.functions.notifications;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.notifications.NotificationService;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import java.util.Set;
import java.util.function.Function;

/** HTTPS function: list one's notifications, mark them read. */
public final class NotificationsFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public NotificationsFunction() {
    this(Platform.fromEnvironment("notifications"));
  }

  private NotificationsFunction(Platform platform) {
    this(notifications(platform), platform::httpApi);
  }

  /** Built from its service and the HTTP boundary, so a test needs no Google client. */
  NotificationsFunction(NotificationService service, Function<Router, HttpApi> boundary) {
    this.api = boundary.apply(NotificationsRoutes.create(service));
  }

  /** The composition root: the Firestore adapter, warmed up while the invoker starts. */
  private static NotificationService notifications(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.TOKENS));
    return new NotificationService(platform.adapters().notifications(), platform.clock());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
