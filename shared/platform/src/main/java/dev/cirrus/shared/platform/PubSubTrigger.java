package dev.cirrus.shared.platform;

import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.PubSubEnvelope;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.log.StructuredLogger.Context;
import dev.cirrus.shared.log.TraceContext;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.Tracer.Kind;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one template of every Pub/Sub-triggered function: it decodes the {@code messagePublished}
 * CloudEvent that Eventarc pushes, continues the publisher's trace as a consumer span, hands the
 * message to the function's {@link Body}, and logs what became of it with the time the message
 * waited and the time the work took. Returning acknowledges the message; the body throws only for a
 * failure worth a redelivery, which Pub/Sub then makes (and after five, dead-letters). An event
 * that is not a Pub/Sub envelope can never be processed, so it is logged and acknowledged.
 */
public final class PubSubTrigger {
  /** What one function does with a message. */
  @FunctionalInterface
  public interface Body {
    /**
     * Handles one message, exactly once in effect however often it is delivered.
     *
     * @return what became of it, for the log
     */
    Outcome handle(PubSubMessage message);
  }

  /**
   * What the body made of a message: a line for the log, a warning when a person should look.
   *
   * @param kind a short fixed name for it, when the summary is one (an enum constant such as {@code
   *     READY}): the line's {@code outcome} label, which log-based metrics count by
   * @param reason why, when the outcome is a refusal ({@code REJECTED}): the line's {@code reason}
   *     label, one of a fixed set of codes
   */
  public record Outcome(
      String summary, boolean warning, Optional<String> kind, Optional<String> reason) {
    public static Outcome done(Object summary) {
      return new Outcome(String.valueOf(summary), false, kindOf(summary), Optional.empty());
    }

    public static Outcome warn(Object summary) {
      return new Outcome(String.valueOf(summary), true, kindOf(summary), Optional.empty());
    }

    /** The same outcome, labelled with why when there is a why. */
    public Outcome because(Optional<String> why) {
      return new Outcome(summary, warning, kind, why);
    }

    private static Optional<String> kindOf(Object summary) {
      return summary instanceof Enum<?> e ? Optional.of(e.name()) : Optional.empty();
    }
  }

  private final String name;
  private final Body body;
  private final JsonCodec json;
  private final StructuredLogger log;
  private final Clock clock;
  private final Tracer tracer;
  private final Function<PubSubMessage, Optional<String>> traceOf;

  /**
   * @param name what the log lines and spans call the messages ({@code upload-finalized})
   * @param traceOf the trace a message's work belongs to when it is not the message's own: an
   *     upload's, since Cloud Storage's notifications carry none
   */
  public PubSubTrigger(
      String name,
      Body body,
      JsonCodec json,
      StructuredLogger log,
      Clock clock,
      Tracer tracer,
      Function<PubSubMessage, Optional<String>> traceOf) {
    this.name = name;
    this.body = body;
    this.json = json;
    this.log = log;
    this.clock = clock;
    this.tracer = tracer;
    this.traceOf = traceOf;
  }

  /** On the function's {@code accept}. */
  public void accept(CloudEvent event) {
    Instant arrived = clock.instant();
    Optional<PubSubEnvelope> envelope =
        PubSubEnvelope.decode(
            json.mapper(), event.getData() == null ? new byte[0] : event.getData().toBytes());
    if (envelope.isEmpty()) {
      log.warn(
          new Context(event.getId(), Optional.empty()),
          "dropping a message that is not a Pub/Sub push envelope");
      return;
    }
    Instant publishedAt = event.getTime() == null ? arrived : event.getTime().toInstant();
    PubSubMessage message =
        new PubSubMessage(
            event.getId(),
            envelope.get().messageId(),
            PubSubEnvelope.topicOf(event.getSource()),
            envelope.get().attributes(),
            envelope.get().data(),
            publishedAt,
            envelope.get().trace());
    // A malformed trace of the work's own is none: the message's, or a new one, instead.
    Optional<String> parent =
        ownTrace(message)
            .filter(t -> TraceContext.parse(t, null).isPresent())
            .or(() -> message.trace().map(TraceContext::toTraceparent));
    Tracer.Span span = tracer.begin(name + " process", Kind.CONSUMER, parent);
    try {
      span.attribute("messaging.system", "gcp_pubsub")
          .attribute("messaging.message.id", message.messageId())
          .attribute("messaging.destination.name", message.topic().orElse(""));
      handle(message, arrived, publishedAt, span, parent);
    } catch (RuntimeException e) {
      span.failed(e);
      throw e;
    } finally {
      span.close();
      // Before the acknowledgement: Cloud Run lends the instance CPU only while it handles one.
      tracer.flush();
    }
  }

  /** Tracing never fails the work: a trace that cannot be looked up is a new one. */
  private Optional<String> ownTrace(PubSubMessage message) {
    try {
      return traceOf.apply(message);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private void handle(
      PubSubMessage message,
      Instant arrived,
      Instant publishedAt,
      Tracer.Span span,
      Optional<String> parent) {
    Outcome outcome = body.handle(message);
    outcome.kind().ifPresent(span::outcome);
    outcome.reason().ifPresent(r -> span.attribute("cirrus.reason", r));
    // How long the work took, and how long the message waited before it: the two halves of a
    // message's latency that the logs can tell apart.
    String line =
        name
            + " "
            + message.messageId()
            + ": "
            + outcome.summary()
            + " in "
            + Duration.between(arrived, clock.instant()).toMillis()
            + " ms, waited "
            + Math.max(0, Duration.between(publishedAt, arrived).toMillis())
            + " ms, "
            // From publish to done: for a finalize notification, the last byte to the file ready.
            + Math.max(0, Duration.between(publishedAt, clock.instant()).toMillis())
            + " ms after publish";
    // The line carries this message's span; a malformed parent was no trace, and began a new one.
    Context traced =
        new Context(
            message.eventId(),
            span.traceparent().or(() -> parent).flatMap(t -> TraceContext.parse(t, null)));
    Map<String, String> labels = new HashMap<>();
    outcome.kind().ifPresent(k -> labels.put("outcome", k));
    outcome.reason().ifPresent(r -> labels.put("reason", r));
    if (outcome.warning()) {
      log.warn(traced, line, labels);
    } else {
      log.info(traced, line, labels);
    }
  }
}
