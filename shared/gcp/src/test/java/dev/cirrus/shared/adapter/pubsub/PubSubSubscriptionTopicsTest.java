package dev.cirrus.shared.adapter.pubsub;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.deadletters.SubscriptionTopics;
import dev.cirrus.shared.deadletters.SubscriptionTopicsContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on the real Pub/Sub emulator. */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class PubSubSubscriptionTopicsTest extends SubscriptionTopicsContract {
  private static GcpClients clients;
  private static PubSubAdmin admin;
  private static String project;

  @BeforeAll
  static void connect(TestEmulators emulators) {
    emulators.prestart(false, true, false);
    project = emulators.projectId();
    clients =
        new GcpClients(
            CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    project,
                    "PUBSUB_EMULATOR_HOST",
                    emulators.pubsubHost())));
    admin = new PubSubAdmin(emulators.pubsubHost(), project);
  }

  @AfterAll
  static void disconnect() throws Exception {
    clients.subscriptionAdmin().get().close();
    clients.close();
    admin.close();
  }

  @Override
  protected SubscriptionTopics topics() {
    return new PubSubSubscriptionTopics(clients.subscriptionAdmin());
  }

  @Override
  protected String subscribe(String topic) {
    admin.createTopic(topic);
    admin.createPullSubscription(topic + "-sub", topic);
    return "projects/" + project + "/subscriptions/" + topic + "-sub";
  }

  @Override
  protected String projectId() {
    return project;
  }
}
