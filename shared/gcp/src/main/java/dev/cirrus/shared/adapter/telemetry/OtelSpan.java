package dev.cirrus.shared.adapter.telemetry;

import dev.cirrus.shared.tracing.Tracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.Optional;

/** An OpenTelemetry span, current until it is closed; a second close does nothing. */
final class OtelSpan implements Tracer.Span {
  private final Span span;
  private final Scope scope;
  private boolean closed;

  OtelSpan(Span span, Scope scope) {
    this.span = span;
    this.scope = scope;
  }

  @Override
  public Tracer.Span attribute(String key, String value) {
    span.setAttribute(key, value);
    return this;
  }

  /** Only the error's type: a message may quote a URL or a value that must not be shipped. */
  @Override
  public Tracer.Span failed(Throwable error) {
    span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
    span.setAttribute("exception.type", error.getClass().getName());
    return this;
  }

  @Override
  public Tracer.Span rename(String name) {
    span.updateName(name);
    return this;
  }

  @Override
  public Optional<String> traceparent() {
    return OtelTracer.traceparentOf(span.getSpanContext());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scope.close();
    span.end();
  }
}
