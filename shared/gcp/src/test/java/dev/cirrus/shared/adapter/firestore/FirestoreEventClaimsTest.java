package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.processing.EventClaimsContract;
import dev.cirrus.shared.testing.FirestoreClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreEventClaimsTest extends EventClaimsContract {
  private static FirestoreEventClaims adapter;

  @BeforeAll
  static void connect(GcpClients clients) {
    adapter = new FirestoreEventClaims(clients.firestore());
  }

  @Override
  protected EventClaims claims() {
    return adapter;
  }
}
