package dev.cirrus.shared.adapter.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.admin.AdminRegistry;
import dev.cirrus.shared.admin.AdminRegistryContract;
import dev.cirrus.shared.testing.FirestoreClients;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator; and its transaction under contention. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreAdminRegistryTest extends AdminRegistryContract {
  private static FirestoreAdminRegistry adapter;

  @BeforeAll
  static void connect(GcpClients clients) {
    adapter = new FirestoreAdminRegistry(clients.firestore());
  }

  @Override
  protected AdminRegistry registry() {
    return adapter;
  }

  @Test
  void concurrentGrantsAreAllKept() throws Exception {
    String prefix = "c-" + UUID.randomUUID() + "-";
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Set<Future<?>> running = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        String uid = prefix + i;
        running.add(
            pool.submit(
                () ->
                    adapter.update(
                        admins -> {
                          Set<String> next = new HashSet<>(admins);
                          next.add(uid);
                          return next;
                        })));
      }
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(adapter.admins()).contains(prefix + 0, prefix + 1, prefix + 2, prefix + 3);
    adapter.update(
        admins -> {
          Set<String> next = new HashSet<>(admins);
          next.removeIf(uid -> uid.startsWith(prefix));
          return next;
        });
  }
}
