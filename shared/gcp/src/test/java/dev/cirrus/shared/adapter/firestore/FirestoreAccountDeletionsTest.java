package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.accounts.AccountDeletionsContract;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.testing.FirestoreClients;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.UserStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreAccountDeletionsTest extends AccountDeletionsContract {
  private static GcpClients clients;

  @BeforeAll
  static void connect(GcpClients shared) {
    clients = shared;
  }

  @Override
  protected AccountDeletions deletions() {
    return new FirestoreAccountDeletions(clients.firestore());
  }

  @Override
  protected UploadStore uploads() {
    return new FirestoreUploadStore(clients.firestore());
  }

  @Override
  protected UserStore users() {
    return new FirestoreUserStore(clients.firestore());
  }

  @Override
  protected NotificationStore notifications() {
    return new FirestoreNotificationStore(clients.firestore());
  }
}
