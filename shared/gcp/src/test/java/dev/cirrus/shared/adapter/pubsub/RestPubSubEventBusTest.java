package dev.cirrus.shared.adapter.pubsub;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.EventBusContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on the real Pub/Sub emulator: publish through the adapter, pull as a subscriber. */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class RestPubSubEventBusTest extends EventBusContract {
  private static GcpClients clients;
  private static PubSubAdmin admin;
  private static EventBus bus;
  private final Map<String, List<Received>> seen = new HashMap<>();

  @BeforeAll
  static void connect(TestEmulators emulators) {
    emulators.prestart(false, true, false);
    clients =
        new GcpClients(
            CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                    "PUBSUB_EMULATOR_HOST", emulators.pubsubHost())));
    admin = new PubSubAdmin(emulators.pubsubHost(), emulators.projectId());
    bus =
        new RestPubSubEventBus(
            clients.http(),
            clients.pubsubApi(),
            emulators.projectId(),
            clients::pubsubAccessToken,
            new ObjectMapper());
  }

  @AfterAll
  static void disconnect() throws Exception {
    clients.close();
    admin.close();
  }

  @Override
  protected EventBus bus() {
    return bus;
  }

  @Override
  protected String newTopic() {
    String topic = "contract-" + UUID.randomUUID();
    admin.createTopic(topic);
    admin.createPullSubscription(topic + "-watch", topic);
    return topic;
  }

  /** Pulls until a quiet second: what has been published by now has arrived. */
  @Override
  protected List<Received> received(String topic) throws InterruptedException {
    List<Received> all = seen.computeIfAbsent(topic, t -> new ArrayList<>());
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < Duration.ofSeconds(1).toNanos()) {
      List<PubSubAdmin.Received> batch = admin.pull(topic + "-watch", 100);
      for (PubSubAdmin.Received m : batch) {
        all.add(new Received(m.attributes(), new String(m.data(), StandardCharsets.UTF_8)));
        quietSince = System.nanoTime();
      }
      if (batch.isEmpty()) {
        Thread.sleep(50);
      }
    }
    return List.copyOf(all);
  }

  @Test
  void publishingToATopicThatDoesNotExistFailsAsUnavailable() {
    assertThatThrownBy(() -> bus.publish("missing-" + UUID.randomUUID(), Map.of(), new byte[] {1}))
        .isInstanceOf(Unavailable.class)
        .hasMessageContaining("HTTP 404");
  }
}
