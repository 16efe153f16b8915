package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.tracing.FinishedSpan;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.TracerContract;
import java.util.List;

class InMemoryTracerTest extends TracerContract {
  private final InMemoryTracer tracer = new InMemoryTracer();

  @Override
  protected Tracer tracer() {
    return tracer;
  }

  @Override
  protected List<FinishedSpan> finished() {
    return tracer.finished();
  }
}
