package dev.cirrus.shared.tracing;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@link Tracer#NONE}: spans that record nothing. A unit of work's span carries the parent it was
 * begun in, so its log lines keep the caller's trace; a stage's carries none.
 */
final class NoTracer implements Tracer {
  @Override
  public Span begin(String name, Kind kind, Optional<String> parent) {
    return new Unrecorded(parent);
  }

  @Override
  public Span start(String name, Kind kind) {
    return new Unrecorded(Optional.empty());
  }

  @Override
  public Optional<String> traceparent() {
    return Optional.empty();
  }

  @Override
  public void annotate(String key, String value) {}

  @Override
  public Executor carrying(Executor executor) {
    return executor;
  }

  @Override
  public void flush() {}

  private record Unrecorded(Optional<String> traceparent) implements Span {
    @Override
    public Span attribute(String key, String value) {
      return this;
    }

    @Override
    public Span failed(Throwable error) {
      return this;
    }

    @Override
    public Span rename(String name) {
      return this;
    }

    @Override
    public void close() {}
  }
}
