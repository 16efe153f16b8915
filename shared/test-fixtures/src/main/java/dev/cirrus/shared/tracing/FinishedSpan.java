package dev.cirrus.shared.tracing;

import java.util.Map;
import java.util.Optional;

/**
 * A span as its exporter received it, for tests to read back.
 *
 * @param parentSpanId the span it is a child of, in the same trace; none for a trace's root
 */
public record FinishedSpan(
    String name,
    Tracer.Kind kind,
    String traceId,
    String spanId,
    Optional<String> parentSpanId,
    Map<String, String> attributes,
    boolean failed) {
  public FinishedSpan {
    attributes = Map.copyOf(attributes);
  }
}
