package dev.cirrus.shared.adapter.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.tracing.FinishedSpan;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.TracerContract;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract on the OpenTelemetry SDK, its spans caught by an exporter of the test's own. */
class OtelTracerTest extends TracerContract {
  private final List<SpanData> exported = new CopyOnWriteArrayList<>();
  private final OtelTracer tracer =
      new OtelTracer(
          TelemetrySettings.from(Map.of("OTEL_TRACES_SAMPLER", "always_on"), "test"),
          "demo-test",
          settings -> new Catching(exported));

  @AfterEach
  void shutDown() {
    tracer.close();
  }

  @Override
  protected Tracer tracer() {
    return tracer;
  }

  @Override
  protected List<FinishedSpan> finished() {
    tracer.flush();
    return exported.stream().map(OtelTracerTest::finishedSpan).toList();
  }

  @Test
  void anEndpointThatNeverAnswersDoesNotHoldTheWork() {
    CompletableResultCode never = new CompletableResultCode();
    OtelTracer stuck =
        new OtelTracer(
            TelemetrySettings.from(Map.of("OTEL_TRACES_SAMPLER", "always_on"), "test"),
            "demo-test",
            settings -> new Hanging(never));
    try (Tracer.Span span = stuck.begin("GET", Tracer.Kind.SERVER, Optional.empty())) {
      span.outcome("ok");
    }
    long started = System.nanoTime();
    stuck.flush();
    // Well under the exporter's own 10 s timeout: the wait is bounded by FLUSH_WAIT.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    never.succeed();
    stuck.close();
  }

  private record Hanging(CompletableResultCode result) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return result;
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  static FinishedSpan finishedSpan(SpanData span) {
    Map<String, String> attributes = new HashMap<>();
    span.getAttributes().forEach((k, v) -> attributes.put(k.getKey(), String.valueOf(v)));
    return new FinishedSpan(
        span.getName(),
        Tracer.Kind.valueOf(span.getKind().name()),
        span.getTraceId(),
        span.getSpanId(),
        span.getParentSpanContext().isValid()
            ? Optional.of(span.getParentSpanId())
            : Optional.empty(),
        attributes,
        span.getStatus().getStatusCode() == StatusCode.ERROR);
  }

  private record Catching(List<SpanData> into) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      into.addAll(spans);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
