package dev.cirrus.functions.files;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.adapter.firestore.FirestoreFileStore;
import dev.cirrus.shared.files.FileService;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import java.util.Set;

/** HTTPS function: list, get, rename and tag, delete, download URLs. */
public final class FilesFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public FilesFunction() {
    this(Platform.fromEnvironment("files"));
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  FilesFunction(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.TOKENS));
    FileService files =
        new FileService(
            new FirestoreFileStore(platform.clients().firestore()),
            platform.objectStorage(),
            platform.eventBus(),
            platform.json(),
            platform.clock(),
            platform.config().filesBucket());
    this.api = platform.httpApi(FilesRoutes.create(files));
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
