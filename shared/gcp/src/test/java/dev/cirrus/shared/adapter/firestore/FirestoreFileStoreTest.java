package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;

import com.google.cloud.firestore.Firestore;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.files.FileStoreContract;
import dev.cirrus.shared.testing.FirestoreClients;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreFileStoreTest extends FileStoreContract {
  private static GcpClients clients;
  private static FirestoreFileStore adapter;

  @BeforeAll
  static void connect(GcpClients shared) {
    clients = shared;
    adapter = new FirestoreFileStore(clients.firestore());
  }

  @Override
  protected FileStore store() {
    return adapter;
  }

  @Override
  protected void seed(FileRecord file, Quota quota) {
    Firestore db = clients.firestore().get();
    await(
        db.collection(FirestoreCollections.FILES)
            .document(file.id())
            .set(FileDocuments.toDocument(file)));
    new FirestoreUserStore(clients.firestore())
        .findOrCreate(
            new UserRecord(file.ownerUid(), Optional.empty(), Settings.DEFAULT, quota, t0));
  }

  @Override
  protected Quota quota(String ownerUid) {
    return new FirestoreUserStore(clients.firestore())
        .findOrCreate(
            new UserRecord(ownerUid, Optional.empty(), Settings.DEFAULT, Quota.empty(0), t0))
        .quota();
  }
}
