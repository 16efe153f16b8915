package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.notifications.DeliveryLog;
import dev.cirrus.shared.notifications.DeliveryLogContract;
import dev.cirrus.shared.testing.FirestoreClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreDeliveryLogTest extends DeliveryLogContract {
  private static FirestoreDeliveryLog adapter;

  @BeforeAll
  static void connect(GcpClients clients) {
    adapter = new FirestoreDeliveryLog(clients.firestore());
  }

  @Override
  protected DeliveryLog log() {
    return adapter;
  }
}
