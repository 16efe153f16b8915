package dev.cirrus.functions.admin;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.deadletters.DeadLetterService;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Reply;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import java.util.Set;
import java.util.function.Function;

/**
 * HTTPS function for operators ({@code admin} role): dead letters, listed and re-driven. Apart from
 * the user-facing functions so that only it may publish to every topic.
 */
public final class AdminFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public AdminFunction() {
    this(Platform.fromEnvironment("admin"));
  }

  private AdminFunction(Platform platform) {
    this(deadLetters(platform), platform::httpApi);
  }

  /** Built from its service and the HTTP boundary, so a test needs no Google client. */
  AdminFunction(DeadLetterService deadLetters, Function<Router, HttpApi> boundary) {
    this.api = boundary.apply(routes(deadLetters));
  }

  private static DeadLetterService deadLetters(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.TOKENS));
    return platform.deadLetters();
  }

  /** Each handler decodes, calls the service, encodes. */
  static Router routes(DeadLetterService deadLetters) {
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
            request -> Reply.ok(deadLetters.redrive(request.principal(), request.pathParam("id"))));
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
