package dev.cirrus.shared.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.adapter.memory.InMemoryTracer;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.tracing.FinishedSpan;
import dev.cirrus.shared.tracing.Tracer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PubSubTriggerTest {
  private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:10Z"));
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final JsonCodec json = new JsonCodec();
  private final StructuredLogger log =
      new StructuredLogger(
          new PrintStream(out, true, StandardCharsets.UTF_8), json, clock, "demo-p", "notify");
  private final List<PubSubMessage> handled = new ArrayList<>();

  private final InMemoryTracer tracer = new InMemoryTracer();

  /** Untraced: the log lines keep the publisher's span. */
  private PubSubTrigger trigger(PubSubTrigger.Body body) {
    return new PubSubTrigger("notify", body, json, log, clock, Tracer.NONE, m -> Optional.empty());
  }

  private PubSubTrigger traced(
      Function<PubSubMessage, Optional<String>> traceOf, PubSubTrigger.Body body) {
    return new PubSubTrigger("notify", body, json, log, clock, tracer, traceOf);
  }

  /** A messagePublished CloudEvent as Eventarc pushes it, published ten seconds ago. */
  private static CloudEvent published(String envelope) {
    return CloudEventBuilder.v1()
        .withId("event-1")
        .withType("google.cloud.pubsub.topic.v1.messagePublished")
        .withSource(URI.create("//pubsub.googleapis.com/projects/demo-p/topics/file-events"))
        .withTime(Instant.parse("2026-12-03T08:00:00Z").atOffset(ZoneOffset.UTC))
        .withData("application/json", envelope.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static String envelope(String data) {
    return "{\"subscription\":\"projects/demo-p/subscriptions/s\",\"message\":{\"messageId\":\"m-7\","
        + "\"attributes\":{\"type\":\"file.ready\",\"traceparent\":\""
        + TRACE
        + "\"},\"data\":\""
        + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
        + "\"}}";
  }

  private List<JsonNode> lines() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).strip().split("\n")) {
      lines.add(mapper.readTree(line));
    }
    return lines;
  }

  @Test
  void theBodyGetsTheDecodedMessageWithItsTopicTimeAndTrace() {
    trigger(
            m -> {
              handled.add(m);
              return Outcome.done("ok");
            })
        .accept(published(envelope("{\"fileId\":\"f1\"}")));

    assertThat(handled).hasSize(1);
    PubSubMessage message = handled.get(0);
    assertThat(message.eventId()).isEqualTo("event-1");
    assertThat(message.messageId()).isEqualTo("m-7");
    assertThat(message.topic()).contains("file-events");
    assertThat(message.attributes()).containsEntry("type", "file.ready");
    assertThat(new String(message.data(), StandardCharsets.UTF_8)).isEqualTo("{\"fileId\":\"f1\"}");
    assertThat(message.publishedAt()).isEqualTo(Instant.parse("2026-12-03T08:00:00Z"));
    assertThat(message.trace().orElseThrow().traceId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void theLogLineCarriesThePublishersTraceTheWaitTheWorkAndTheWhole() throws Exception {
    trigger(
            m -> {
              clock.advance(Duration.ofMillis(250));
              return Outcome.done("READY");
            })
        .accept(published(envelope("{}")));

    JsonNode line = lines().get(0);
    assertThat(line.get("severity").asText()).isEqualTo("INFO");
    assertThat(line.get("message").asText())
        .isEqualTo("notify m-7: READY in 250 ms, waited 10000 ms, 10250 ms after publish");
    assertThat(line.get("logging.googleapis.com/trace").asText())
        .isEqualTo("projects/demo-p/traces/4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void aFixedOutcomeIsALabelForMetricsAndFreeTextIsNot() throws Exception {
    trigger(m -> Outcome.done(Thread.State.RUNNABLE)).accept(published(envelope("{}")));
    trigger(m -> Outcome.done("3 users notified")).accept(published(envelope("{}")));

    assertThat(lines().get(0).path("logging.googleapis.com/labels").path("outcome").asText())
        .isEqualTo("RUNNABLE");
    assertThat(lines().get(1).path("logging.googleapis.com/labels").has("outcome")).isFalse();
  }

  @Test
  void aRefusalsReasonIsALabelForMetrics() throws Exception {
    trigger(m -> Outcome.done(Thread.State.BLOCKED).because(Optional.of("not-an-image")))
        .accept(published(envelope("{}")));
    trigger(m -> Outcome.done(Thread.State.RUNNABLE).because(Optional.empty()))
        .accept(published(envelope("{}")));

    JsonNode labels = lines().get(0).path("logging.googleapis.com/labels");
    assertThat(labels.path("outcome").asText()).isEqualTo("BLOCKED");
    assertThat(labels.path("reason").asText()).isEqualTo("not-an-image");
    assertThat(lines().get(1).path("logging.googleapis.com/labels").has("reason")).isFalse();
  }

  @Test
  void workThatBelongsToAnotherTraceIsLoggedInItAndABadOneIsIgnored() throws Exception {
    String upload = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    traced(m -> Optional.of(upload), m -> Outcome.done("READY")).accept(published(envelope("{}")));
    traced(m -> Optional.of("not a trace"), m -> Outcome.done("READY"))
        .accept(published(envelope("{}")));
    traced(
            m -> {
              throw new IllegalStateException("the upload cannot be read");
            },
            m -> Outcome.done("READY"))
        .accept(published(envelope("{}")));

    assertThat(lines().get(0).get("logging.googleapis.com/trace").asText())
        .isEqualTo("projects/demo-p/traces/0af7651916cd43dd8448eb211c80319c");
    assertThat(lines().get(1).get("logging.googleapis.com/trace").asText())
        .as("the message's own")
        .isEqualTo("projects/demo-p/traces/4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(lines().get(2).get("logging.googleapis.com/trace").asText())
        .as("a trace that cannot be looked up is no failure")
        .isEqualTo("projects/demo-p/traces/4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void eachMessageIsAConsumerSpanWhoseIdItsLogLineCarries() throws Exception {
    traced(
            m -> Optional.empty(),
            m -> Outcome.done(Thread.State.BLOCKED).because(Optional.of("none")))
        .accept(published(envelope("{}")));

    FinishedSpan span = tracer.finished().get(0);
    assertThat(span.name()).isEqualTo("notify process");
    assertThat(span.kind()).isEqualTo(Tracer.Kind.CONSUMER);
    assertThat(span.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.parentSpanId()).as("the publisher's span").contains("00f067aa0ba902b7");
    assertThat(span.attributes())
        .containsEntry("cirrus.outcome", "BLOCKED")
        .containsEntry("cirrus.reason", "none");
    assertThat(lines().get(0).get("logging.googleapis.com/spanId").asText())
        .isEqualTo(span.spanId());
  }

  @Test
  void anOutcomeThatNeedsAPersonIsAWarning() throws Exception {
    trigger(m -> Outcome.warn("rejected: no such topic")).accept(published(envelope("{}")));

    assertThat(lines().get(0).get("severity").asText()).isEqualTo("WARNING");
  }

  @Test
  void anEventThatIsNotAnEnvelopeIsAcknowledgedWithAWarningAndNeverReachesTheBody()
      throws Exception {
    trigger(
            m -> {
              handled.add(m);
              return Outcome.done("ok");
            })
        .accept(published("not an envelope"));

    assertThat(handled).isEmpty();
    assertThat(lines().get(0).get("severity").asText()).isEqualTo("WARNING");
  }

  @Test
  void aTransientFailureIsThrownSoPubSubRedelivers() {
    PubSubTrigger trigger =
        trigger(
            m -> {
              throw new Unavailable("firestore is down", null);
            });

    assertThatThrownBy(() -> trigger.accept(published(envelope("{}"))))
        .isInstanceOf(Unavailable.class);
  }
}
