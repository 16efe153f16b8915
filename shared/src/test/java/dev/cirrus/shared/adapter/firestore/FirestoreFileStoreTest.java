package dev.cirrus.shared.adapter.firestore;

import static dev.cirrus.shared.adapter.firestore.FirestoreFutures.await;

import com.google.cloud.firestore.Firestore;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.files.FileStoreContract;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class FirestoreFileStoreTest extends FileStoreContract {
  private static GcpClients clients;
  private static FirestoreFileStore repository;

  @BeforeAll
  static void connect(TestEmulators emulators) {
    clients =
        new GcpClients(
            CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                    "FIRESTORE_EMULATOR_HOST", emulators.firestoreHost())));
    repository = new FirestoreFileStore(clients.firestore());
  }

  @AfterAll
  static void disconnect() throws Exception {
    clients.firestore().get().close();
  }

  @Override
  protected FileStore store() {
    return repository;
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
