package dev.cirrus.functions.files;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.files.FileService;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import java.util.Set;
import java.util.function.Function;

/** HTTPS function: list, get, rename and tag, delete, download URLs. */
public final class FilesFunction implements HttpFunction {
  private final HttpApi api;

  /** Used by the Functions Framework: production wiring from the environment. */
  public FilesFunction() {
    this(Platform.fromEnvironment("files"));
  }

  private FilesFunction(Platform platform) {
    this(files(platform), platform::httpApi);
  }

  /** Built from its service and the HTTP boundary, so a test needs no Google client. */
  FilesFunction(FileService files, Function<Router, HttpApi> boundary) {
    this.api = boundary.apply(FilesRoutes.create(files));
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  private static FileService files(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.TOKENS));
    return new FileService(
        platform.adapters().files(),
        platform.userCache(),
        platform.adapters().objectStorage(),
        platform.adapters().eventBus(),
        platform.messages(),
        platform.clock(),
        platform.config().filesBucket());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    api.serve(request, response);
  }
}
