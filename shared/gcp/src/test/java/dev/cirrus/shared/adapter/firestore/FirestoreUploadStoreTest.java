package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.testing.FirestoreClients;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.uploads.UploadStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreUploadStoreTest extends UploadStoreContract {
  private static FirestoreUploadStore adapter;

  @BeforeAll
  static void connect(GcpClients clients) {
    adapter = new FirestoreUploadStore(clients.firestore());
  }

  @Override
  protected UploadStore store() {
    return adapter;
  }
}
