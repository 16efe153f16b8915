package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.tracing.FinishedSpan;
import dev.cirrus.shared.tracing.Tracer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tracer that keeps every finished span in memory: every span is sampled, ids are counted, and
 * the current span is this thread's innermost open one.
 */
public final class InMemoryTracer implements Tracer {
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

  private final List<FinishedSpan> finished = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Deque<Recording>> open = ThreadLocal.withInitial(ArrayDeque::new);
  private long nextTrace = 1;
  private long nextSpan = 1;

  /** The finished spans, in the order they ended. */
  public List<FinishedSpan> finished() {
    return List.copyOf(finished);
  }

  @Override
  public synchronized Span begin(String name, Kind kind, Optional<String> parent) {
    Matcher m = parent.map(TRACEPARENT::matcher).filter(Matcher::matches).orElse(null);
    if (m != null && !m.group(1).matches("0+") && !m.group(2).matches("0+")) {
      return push(name, kind, m.group(1), Optional.of(m.group(2)));
    }
    return push(name, kind, String.format("%032x", nextTrace++), Optional.empty());
  }

  @Override
  public synchronized Span start(String name, Kind kind) {
    Recording current = open.get().peek();
    if (current == null) {
      return begin(name, kind, Optional.empty());
    }
    return push(name, kind, current.traceId, Optional.of(current.spanId));
  }

  @Override
  public void annotate(String key, String value) {
    Recording current = open.get().peek();
    if (current != null) {
      current.attribute(key, value);
    }
  }

  @Override
  public Optional<String> traceparent() {
    return Optional.ofNullable(open.get().peek()).flatMap(Recording::traceparent);
  }

  @Override
  public Executor carrying(Executor executor) {
    return task -> {
      Recording handedOver = open.get().peek();
      executor.execute(
          () -> {
            Deque<Recording> worker = open.get();
            if (handedOver != null) {
              worker.push(handedOver);
            }
            try {
              task.run();
            } finally {
              worker.remove(handedOver);
            }
          });
    };
  }

  @Override
  public void flush() {}

  private Recording push(String name, Kind kind, String traceId, Optional<String> parent) {
    Recording span = new Recording(name, kind, traceId, String.format("%016x", nextSpan++), parent);
    open.get().push(span);
    return span;
  }

  private final class Recording implements Span {
    private String name;
    private final Kind kind;
    private final String traceId;
    private final String spanId;
    private final Optional<String> parent;
    private final Map<String, String> attributes = new HashMap<>();
    private boolean failed;
    private boolean closed;

    Recording(String name, Kind kind, String traceId, String spanId, Optional<String> parent) {
      this.name = name;
      this.kind = kind;
      this.traceId = traceId;
      this.spanId = spanId;
      this.parent = parent;
    }

    @Override
    public Span attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    @Override
    public Span failed(Throwable error) {
      failed = true;
      attributes.put("exception.type", error.getClass().getName());
      return this;
    }

    @Override
    public Span rename(String name) {
      this.name = name;
      return this;
    }

    @Override
    public Optional<String> traceparent() {
      return Optional.of("00-" + traceId + "-" + spanId + "-01");
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      open.get().remove(this);
      finished.add(new FinishedSpan(name, kind, traceId, spanId, parent, attributes, failed));
    }
  }
}
