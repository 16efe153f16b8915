package dev.cirrus.shared.adapter.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryTracer;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.tracing.FinishedSpan;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.Tracer.Kind;
import dev.cirrus.shared.tracing.Tracer.Span;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracedPortsTest {
  private static final String OTHER_TRACE =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private final InMemoryTracer tracer = new InMemoryTracer();

  @Test
  void aPortsCallInsideWorkIsAClientSpanNamedForTheServiceAndTheCall() {
    EventBus failing =
        (topic, attributes, data) -> {
          throw new Unavailable("down", null);
        };
    EventBus traced = TracedPorts.of(EventBus.class, failing, "pubsub", tracer);

    try (Span work = tracer.begin("work", Kind.SERVER, Optional.empty())) {
      assertThatThrownBy(() -> traced.publish("t", Map.of(), new byte[0]))
          .isInstanceOf(Unavailable.class);
    }

    FinishedSpan call = tracer.finished().get(0);
    assertThat(call.name()).isEqualTo("pubsub EventBus.publish");
    assertThat(call.kind()).isEqualTo(Kind.CLIENT);
    assertThat(call.failed()).isTrue();
    assertThat(call.parentSpanId()).contains(tracer.finished().get(1).spanId());
  }

  @Test
  void callsOutsideAnyWorkMakeNoSpanAndNoTracerMeansTheAdapterItself() {
    RecordingEventBus bus = new RecordingEventBus();
    TracedPorts.of(EventBus.class, bus, "pubsub", tracer).publish("t", Map.of(), new byte[0]);

    assertThat(tracer.finished()).isEmpty();
    assertThat(bus.on("t")).hasSize(1);
    assertThat(TracedPorts.of(EventBus.class, bus, "pubsub", Tracer.NONE)).isSameAs(bus);
  }

  @Test
  void aPublishedMessageCarriesTheProducerSpanUnlessItBelongsToAnotherTrace() {
    RecordingEventBus bus = new RecordingEventBus();
    EventBus traced = new TracedEventBus(bus, tracer);

    try (Span work =
        tracer.begin(
            "work",
            Kind.SERVER,
            Optional.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))) {
      traced.publish(
          "file-events", Map.of("traceparent", work.traceparent().orElseThrow()), new byte[0]);
      traced.publish("relayed", Map.of("traceparent", OTHER_TRACE), new byte[0]);
    }

    FinishedSpan producer = tracer.finished().get(0);
    assertThat(producer.name()).isEqualTo("pubsub publish file-events");
    assertThat(producer.kind()).isEqualTo(Kind.PRODUCER);
    assertThat(bus.on("file-events").get(0).attributes())
        .containsEntry(
            "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-" + producer.spanId() + "-01");
    assertThat(bus.on("relayed").get(0).attributes()).containsEntry("traceparent", OTHER_TRACE);
  }
}
