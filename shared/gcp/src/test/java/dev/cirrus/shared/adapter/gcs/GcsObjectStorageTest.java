package dev.cirrus.shared.adapter.gcs;

import dev.cirrus.local.storage.StorageEmulator;
import dev.cirrus.shared.adapter.gcp.GcpAdapters;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.ObjectStorageContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The contract against the project's Cloud Storage emulator, through Google's Java client. */
@Tag("emulator")
class GcsObjectStorageTest extends ObjectStorageContract {
  private static final String BUCKET = "contract-bucket";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static StorageEmulator emulator;
  private static ObjectStorage storage;

  @BeforeAll
  static void start() throws Exception {
    emulator = StorageEmulator.inMemory(0);
    emulator.store().createBucket(BUCKET);
    CirrusConfig config =
        CirrusConfig.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "demo-contract", "STORAGE_EMULATOR_HOST", emulator.url()));
    storage =
        new GcpAdapters(new GcpClients(config), config, new JsonCodec(), Clock.systemUTC())
            .objectStorage();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Override
  protected ObjectStorage storage() {
    return storage;
  }

  @Override
  protected String bucket() {
    return BUCKET;
  }

  @Override
  protected boolean sendToSession(URI session, byte[] bytes) throws Exception {
    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(session)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return put.statusCode() == 200 || put.statusCode() == 201;
  }
}
