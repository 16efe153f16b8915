package dev.cirrus.shared.tracing;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Where work marks itself as spans of a W3C trace: one per request or message ({@link #begin}), and
 * inside it one per stage or outside call ({@link #start}). A span is current from its start until
 * it is closed, so what starts inside it is its child; spans must be closed in the reverse of the
 * order they were started (try-with-resources does it). Tracing never fails the work: a tracer that
 * exports nothing ({@link #NONE}) keeps the caller's trace for the logs.
 */
public interface Tracer {
  /** What a span stands for, as OpenTelemetry's span kinds say it. */
  enum Kind {
    /** An HTTP request this instance serves. */
    SERVER,
    /** A message this instance was pushed. */
    CONSUMER,
    /** A message this instance publishes. */
    PRODUCER,
    /** A call to another service. */
    CLIENT,
    /** A stage of the work. */
    INTERNAL
  }

  /**
   * Begins a unit of work: in the trace of {@code parent} (a W3C {@code traceparent}) when it is
   * valid, else in a new trace; a malformed parent is a new trace, never an error.
   */
  Span begin(String name, Kind kind, Optional<String> parent);

  /** Starts a stage of the current work, its child. */
  default Span start(String name) {
    return start(name, Kind.INTERNAL);
  }

  /** Starts a child of the current span. */
  Span start(String name, Kind kind);

  /**
   * A fact about the current work, on its innermost span: {@code cirrus.upload_id}, by which the
   * local stack finds an upload's trace. Never a token, a signed URL or file contents.
   */
  void annotate(String key, String value);

  /** The current span's {@code traceparent}, to pass on to the next hop; none outside any span. */
  Optional<String> traceparent();

  /**
   * {@code executor}, with each task run in the span that was current when it was handed over: work
   * fanned out to other threads stays in its request's trace.
   */
  Executor carrying(Executor executor);

  /**
   * Hands finished spans to the exporter now, when the work's instance may lose its CPU once the
   * reply is sent (Cloud Run's request-based billing); a no-op where export runs in the background.
   */
  void flush();

  /** One span; closing it ends it. */
  interface Span extends AutoCloseable {
    /**
     * A fact about the work, such as {@code cirrus.upload_id}. Never a token, a signed URL or file
     * contents.
     */
    Span attribute(String key, String value);

    /** What the work came to ({@code ok}, {@code rejected}, ...), as {@code cirrus.outcome}. */
    default Span outcome(String outcome) {
      return attribute("cirrus.outcome", outcome);
    }

    /** The work failed with {@code error}: the span's status is an error, with its type. */
    Span failed(Throwable error);

    /** Renames it, once what it is became known (the route matched a request). */
    Span rename(String name);

    /** This span's own {@code traceparent}: its trace, its id, and whether it is sampled. */
    Optional<String> traceparent();

    /** Ends it; closing it again does nothing. */
    @Override
    void close();
  }

  /** Records nothing; keeps a request's own trace for its logs, so log lines still correlate. */
  Tracer NONE = new NoTracer();
}
