package dev.cirrus.shared.testing;

import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.EventBusContract;
import java.util.List;
import java.util.UUID;

/** The fake the unit tests count effects with, held to the Pub/Sub adapter's contract. */
class RecordingEventBusTest extends EventBusContract {
  private final RecordingEventBus bus = new RecordingEventBus();

  @Override
  protected EventBus bus() {
    return bus;
  }

  @Override
  protected String newTopic() {
    return "topic-" + UUID.randomUUID();
  }

  @Override
  protected List<Received> received(String topic) {
    return bus.on(topic).stream().map(m -> new Received(m.attributes(), m.body())).toList();
  }
}
