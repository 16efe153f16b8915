package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.uploads.UploadStoreContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class FirestoreUploadStoreTest extends UploadStoreContract {
  private static GcpClients clients;
  private static FirestoreUploadStore store;

  @BeforeAll
  static void connect(TestEmulators emulators) {
    clients =
        new GcpClients(
            CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                    "FIRESTORE_EMULATOR_HOST", emulators.firestoreHost())));
    store = new FirestoreUploadStore(clients.firestore());
  }

  @AfterAll
  static void disconnect() throws Exception {
    clients.firestore().get().close();
  }

  @Override
  protected UploadStore store() {
    return store;
  }
}
