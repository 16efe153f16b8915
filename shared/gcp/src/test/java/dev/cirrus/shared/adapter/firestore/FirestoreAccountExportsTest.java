package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.exports.AccountExports;
import dev.cirrus.shared.exports.AccountExportsContract;
import dev.cirrus.shared.testing.FirestoreClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreAccountExportsTest extends AccountExportsContract {
  private static GcpClients clients;

  @BeforeAll
  static void connect(GcpClients shared) {
    clients = shared;
  }

  @Override
  protected AccountExports exports() {
    return new FirestoreAccountExports(clients.firestore());
  }

  @Override
  protected AccountDeletions deletions() {
    return new FirestoreAccountDeletions(clients.firestore());
  }
}
