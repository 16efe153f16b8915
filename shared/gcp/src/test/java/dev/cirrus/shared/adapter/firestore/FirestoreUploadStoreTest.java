package dev.cirrus.shared.adapter.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.testing.FirestoreClients;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.uploads.UploadStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreUploadStoreTest extends UploadStoreContract {
  private static FirestoreUploadStore adapter;
  private static GcpClients gcp;

  @BeforeAll
  static void connect(GcpClients clients) {
    gcp = clients;
    adapter = new FirestoreUploadStore(clients.firestore());
  }

  private static Timestamp purgeAt(String id) throws Exception {
    return gcp.firestore()
        .get()
        .collection(FirestoreCollections.UPLOADS)
        .document(id)
        .get()
        .get()
        .getTimestamp(UploadDocuments.PURGE_AT);
  }

  @Test
  void aFinishedUploadCarriesWhenFirestoresTtlPolicyMayDeleteIt() throws Exception {
    Upload upload = store().create(upload(10, t0), fresh(1000), rules(20, t0));
    assertThat(purgeAt(upload.id())).as("in flight: kept").isNull();
    store().abort(upload.id(), UploadStatus.ABORTED, t0.plusSeconds(5));
    assertThat(purgeAt(upload.id()).toDate().toInstant())
        .isEqualTo(t0.plusSeconds(5).plus(Upload.RETENTION));
  }

  @Override
  protected UploadStore store() {
    return adapter;
  }
}
