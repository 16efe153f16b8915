package dev.cirrus.shared.adapter.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.testing.FirestoreClients;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.DevicePlatform;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import dev.cirrus.shared.users.UserStore;
import dev.cirrus.shared.users.UserStoreContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreUserStoreTest extends UserStoreContract {
  private static GcpClients clients;
  private static FirestoreUserStore store;

  @BeforeAll
  static void connect(GcpClients shared) {
    clients = shared;
    store = new FirestoreUserStore(clients.firestore());
  }

  @Override
  protected UserStore store() {
    return store;
  }

  @Test
  void concurrentFirstCallsCreateOneDocument() {
    String uid = "race-" + System.nanoTime();
    List<CompletableFuture<UserRecord>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      long limit = 100 + i;
      calls.add(
          CompletableFuture.supplyAsync(
              () ->
                  store.findOrCreate(
                      new UserRecord(
                          uid,
                          Optional.empty(),
                          Settings.DEFAULT,
                          Quota.empty(limit),
                          Instant.now()))));
    }
    List<Long> limits = calls.stream().map(c -> c.join().quota().limitBytes()).distinct().toList();
    assertThat(limits).hasSize(1);
  }

  @Test
  void concurrentRegistrationsNeverExceedTheLimit() {
    String uid = "devices-" + System.nanoTime();
    store.findOrCreate(
        new UserRecord(uid, Optional.empty(), Settings.DEFAULT, Quota.empty(1), Instant.now()));
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Device device =
          Device.register("tok-" + i, DevicePlatform.ANDROID, Instant.now().plusMillis(i));
      calls.add(CompletableFuture.runAsync(() -> store.registerDevice(uid, device, 3)));
    }
    calls.forEach(CompletableFuture::join);
    assertThat(store.devices(uid)).hasSize(3);
  }
}
