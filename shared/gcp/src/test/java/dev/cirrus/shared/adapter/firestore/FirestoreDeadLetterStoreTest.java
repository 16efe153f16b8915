package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.deadletters.DeadLetterStore;
import dev.cirrus.shared.deadletters.DeadLetterStoreContract;
import dev.cirrus.shared.testing.FirestoreClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreDeadLetterStoreTest extends DeadLetterStoreContract {
  private static FirestoreDeadLetterStore adapter;

  @BeforeAll
  static void connect(GcpClients clients) {
    adapter = new FirestoreDeadLetterStore(clients.firestore());
  }

  @Override
  protected DeadLetterStore store() {
    return adapter;
  }
}
