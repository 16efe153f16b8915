package dev.cirrus.functions.uploads;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.adapter.firestore.FirestoreUploadStore;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.uploads.UploadService;
import java.util.Set;

/** HTTPS function: upload sessions (create, status, complete, abort). */
public final class UploadsFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public UploadsFunction() {
    this(Platform.fromEnvironment("uploads"));
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  UploadsFunction(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE, WarmUp.TOKENS));
    UploadService uploads =
        new UploadService(
            new FirestoreUploadStore(platform.clients().firestore()),
            platform.objectStorage(),
            platform.eventBus(),
            platform.json(),
            platform.clock(),
            platform.ids(),
            platform.config().uploads(),
            platform.config().uploadsBucket(),
            platform.config().limits().defaultQuotaBytes());
    this.api = platform.httpApi(UploadsRoutes.create(uploads, platform.config().uploads()));
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
