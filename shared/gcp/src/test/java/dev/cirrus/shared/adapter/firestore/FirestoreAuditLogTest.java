package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.admin.AuditLog;
import dev.cirrus.shared.admin.AuditLogContract;
import dev.cirrus.shared.testing.FirestoreClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreAuditLogTest extends AuditLogContract {
  private static FirestoreAuditLog adapter;

  @BeforeAll
  static void connect(GcpClients clients) {
    adapter = new FirestoreAuditLog(clients.firestore());
  }

  @Override
  protected AuditLog log() {
    return adapter;
  }
}
