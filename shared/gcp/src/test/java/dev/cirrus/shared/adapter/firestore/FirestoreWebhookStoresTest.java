package dev.cirrus.shared.adapter.firestore;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.testing.FirestoreClients;
import dev.cirrus.shared.webhooks.WebhookDeliveries;
import dev.cirrus.shared.webhooks.WebhookEndpoints;
import dev.cirrus.shared.webhooks.WebhookStoresContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract, on the real Firestore emulator. */
@Tag("emulator")
@ExtendWith({EmulatorsExtension.class, FirestoreClients.class})
class FirestoreWebhookStoresTest extends WebhookStoresContract {
  private static GcpClients clients;

  @BeforeAll
  static void connect(GcpClients shared) {
    clients = shared;
  }

  @Override
  protected WebhookEndpoints endpoints() {
    return new FirestoreWebhookEndpoints(clients.firestore());
  }

  @Override
  protected WebhookDeliveries deliveries() {
    return new FirestoreWebhookDeliveries(clients.firestore());
  }
}
