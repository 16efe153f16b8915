package dev.cirrus.functions.uploads;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.uploads.UploadService;
import java.util.Set;
import java.util.function.Function;

/** HTTPS function: upload sessions (create, status, complete, abort). */
public final class UploadsFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public UploadsFunction() {
    this(Platform.fromEnvironment("uploads"));
  }

  private UploadsFunction(Platform platform) {
    this(uploads(platform), platform.config().uploads(), platform::httpApi);
  }

  /** Built from its service and the HTTP boundary, so a test needs no Google client. */
  UploadsFunction(UploadService uploads, UploadPolicy policy, Function<Router, HttpApi> boundary) {
    this.api = boundary.apply(UploadsRoutes.create(uploads, policy));
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  private static UploadService uploads(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE, WarmUp.TOKENS));
    return new UploadService(
        platform.adapters().uploads(),
        platform.adapters().objectStorage(),
        platform.adapters().eventBus(),
        platform.messages(),
        platform.clock(),
        platform.ids(),
        platform.config().uploads(),
        platform.config().uploadsBucket(),
        platform.config().limits());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
