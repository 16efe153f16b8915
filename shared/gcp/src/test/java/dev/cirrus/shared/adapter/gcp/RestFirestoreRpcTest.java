package dev.cirrus.shared.adapter.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.spi.v1.FirestoreRpc;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.TestEmulators;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Firestore over REST behind the official client, against the emulator: it fails as gRPC fails, and
 * what REST cannot do it refuses out loud.
 */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class RestFirestoreRpcTest {
  private static Firestore firestore;

  @BeforeAll
  static void connect(TestEmulators emulators) {
    firestore =
        FirestoreOptions.newBuilder()
            .setProjectId(emulators.projectId())
            .setEmulatorHost(emulators.firestoreHost())
            .setServiceRpcFactory(options -> RestFirestoreRpc.create((FirestoreOptions) options))
            .build()
            .getService();
  }

  @AfterAll
  static void close() throws Exception {
    firestore.close();
  }

  @Test
  void theClientRunsOnTheRestTransport() {
    FirestoreRpc rpc = (FirestoreRpc) firestore.getOptions().getRpc();
    assertThat(rpc).isInstanceOf(RestFirestoreRpc.class);
  }

  @Test
  void creatingAnExistingDocumentIsAlreadyExistsNotAborted() throws Exception {
    var doc = firestore.collection("rest").document(UUID.randomUUID().toString());
    doc.create(Map.of("n", 1)).get();
    assertThatThrownBy(() -> doc.create(Map.of("n", 2)).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.ALREADY_EXISTS));
    assertThat(doc.get().get().getLong("n")).isEqualTo(1L);
  }

  @Test
  void aTransactionQueryAndCountWorkUnchanged() throws Exception {
    String group = "rest-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      firestore.collection(group).document("d" + i).set(Map.of("i", i)).get();
    }
    long sum =
        firestore
            .runTransaction(
                t -> {
                  long total = 0;
                  for (var snapshot : t.get(firestore.collection(group)).get().getDocuments()) {
                    total += snapshot.getLong("i");
                  }
                  t.set(firestore.collection(group).document("sum"), Map.of("i", total));
                  return total;
                })
            .get();
    assertThat(sum).isEqualTo(3);
    assertThat(firestore.collection(group).count().get().get().getCount()).isEqualTo(4);
    assertThat(firestore.collection(group).whereGreaterThan("i", 1).get().get().size())
        .isEqualTo(2);
  }

  @Test
  void aSnapshotListenerIsToldItNeedsTheGrpcTransport() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    var registration =
        firestore
            .collection("rest")
            .addSnapshotListener(
                (snapshot, error) -> {
                  if (error != null) {
                    failure.complete(error);
                  }
                });
    try {
      Throwable error = failure.get(30, TimeUnit.SECONDS);
      assertThat(error).hasStackTraceContaining("CIRRUS_FIRESTORE_TRANSPORT=grpc");
    } finally {
      registration.remove();
    }
  }
}
