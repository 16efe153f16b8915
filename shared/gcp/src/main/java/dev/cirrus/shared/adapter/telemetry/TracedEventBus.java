package dev.cirrus.shared.adapter.telemetry;

import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.Tracer.Kind;
import dev.cirrus.shared.tracing.Tracer.Span;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Publishing as a producer span whose context the message carries in its {@code traceparent}
 * attribute: the subscriber's span is then this span's child, in the same trace. A {@code
 * traceparent} the caller set for another trace (a relayed request's) is kept as it is.
 */
public final class TracedEventBus implements EventBus {
  private final EventBus bus;
  private final Tracer tracer;

  public TracedEventBus(EventBus bus, Tracer tracer) {
    this.bus = bus;
    this.tracer = tracer;
  }

  @Override
  public void publish(String topic, Map<String, String> attributes, byte[] data) {
    if (tracer.traceparent().isEmpty()) {
      bus.publish(topic, attributes, data);
      return;
    }
    try (Span span = tracer.start("pubsub publish " + topic, Kind.PRODUCER)) {
      span.attribute("messaging.system", "gcp_pubsub")
          .attribute("messaging.destination.name", topic);
      Map<String, String> traced = new HashMap<>(attributes);
      Optional<String> own = span.traceparent();
      String given = attributes.get("traceparent");
      if (own.isPresent() && (given == null || sameTrace(given, own.get()))) {
        traced.put("traceparent", own.get());
      }
      try {
        bus.publish(topic, traced, data);
      } catch (RuntimeException e) {
        span.failed(e);
        throw e;
      }
    }
  }

  private static boolean sameTrace(String a, String b) {
    return a.length() >= 35 && b.length() >= 35 && a.regionMatches(3, b, 3, 32);
  }
}
