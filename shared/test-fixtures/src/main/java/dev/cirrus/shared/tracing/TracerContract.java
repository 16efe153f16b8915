package dev.cirrus.shared.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.tracing.Tracer.Kind;
import dev.cirrus.shared.tracing.Tracer.Span;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link Tracer} does, run against the in-memory fake and the OpenTelemetry adapter. */
public abstract class TracerContract {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00f067aa0ba902b7";

  protected abstract Tracer tracer();

  /** The spans finished so far, in the order they ended (flushed first where that matters). */
  protected abstract List<FinishedSpan> finished();

  private FinishedSpan named(String name) {
    return finished().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void workBegunInACallersTraceIsTheCallersChild() {
    Tracer tracer = tracer();
    try (Span span =
        tracer.begin("POST", Kind.SERVER, Optional.of("00-" + TRACE + "-" + CALLER + "-01"))) {
      assertThat(span.traceparent()).hasValueSatisfying(t -> assertThat(t).contains(TRACE));
    }
    FinishedSpan span = named("POST");
    assertThat(span.traceId()).isEqualTo(TRACE);
    assertThat(span.parentSpanId()).contains(CALLER);
    assertThat(span.kind()).isEqualTo(Kind.SERVER);
  }

  @Test
  void aMalformedOrHostileParentBeginsANewTraceWithoutAnError() {
    Tracer tracer = tracer();
    for (String hostile :
        List.of(
            "garbage",
            "00-" + "0".repeat(32) + "-" + CALLER + "-01",
            "00-" + TRACE + "-" + CALLER + "-01" + "x".repeat(10_000),
            "00-" + TRACE.toUpperCase() + "-" + CALLER + "-01")) {
      try (Span span = tracer.begin("hostile", Kind.SERVER, Optional.of(hostile))) {
        assertThat(span.traceparent()).isPresent();
      }
    }
    assertThat(finished())
        .hasSize(4)
        .allSatisfy(
            s -> {
              assertThat(s.traceId()).isNotEqualTo(TRACE).matches("[0-9a-f]{32}");
              assertThat(s.parentSpanId()).isEmpty();
            });
  }

  @Test
  void stagesStartedInsideWorkAreItsChildrenInOrder() {
    Tracer tracer = tracer();
    try (Span work = tracer.begin("upload-finalized process", Kind.CONSUMER, Optional.empty())) {
      try (Span verify = tracer.start("verify")) {
        try (Span sniff = tracer.start("sniff")) {
          sniff.outcome("ok");
        }
        verify.outcome("ok");
      }
      try (Span publish = tracer.start("pubsub publish file-events", Kind.PRODUCER)) {
        publish.attribute("messaging.destination.name", "file-events");
      }
    }
    FinishedSpan work = named("upload-finalized process");
    FinishedSpan verify = named("verify");
    FinishedSpan sniff = named("sniff");
    FinishedSpan publish = named("pubsub publish file-events");
    assertThat(List.of(verify, sniff, publish))
        .allSatisfy(s -> assertThat(s.traceId()).isEqualTo(work.traceId()));
    assertThat(verify.parentSpanId()).contains(work.spanId());
    assertThat(sniff.parentSpanId()).contains(verify.spanId());
    assertThat(publish.parentSpanId()).contains(work.spanId());
    assertThat(publish.kind()).isEqualTo(Kind.PRODUCER);
    assertThat(sniff.attributes()).containsEntry("cirrus.outcome", "ok");
  }

  @Test
  void theCurrentTraceparentIsTheInnermostOpenSpans() {
    Tracer tracer = tracer();
    assertThat(tracer.traceparent()).as("outside any work").isEmpty();
    try (Span work = tracer.begin("work", Kind.SERVER, Optional.empty())) {
      try (Span stage = tracer.start("stage")) {
        assertThat(tracer.traceparent()).isEqualTo(stage.traceparent());
      }
      assertThat(tracer.traceparent()).isEqualTo(work.traceparent());
    }
    assertThat(tracer.traceparent()).isEmpty();
  }

  @Test
  void annotationsFailuresAndRenamesAreRecorded() {
    Tracer tracer = tracer();
    try (Span work = tracer.begin("GET", Kind.SERVER, Optional.empty())) {
      work.rename("GET /v1/files/{id}");
      tracer.annotate("cirrus.upload_id", "u1");
      work.failed(new IllegalStateException("the message is not kept"));
    }
    FinishedSpan work = named("GET /v1/files/{id}");
    assertThat(work.failed()).isTrue();
    assertThat(work.attributes())
        .containsEntry("cirrus.upload_id", "u1")
        .containsEntry("exception.type", IllegalStateException.class.getName())
        .doesNotContainValue("the message is not kept");
  }

  @Test
  void workHandedToAnotherThreadStaysInItsSpan() throws Exception {
    Tracer tracer = tracer();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Span work = tracer.begin("notify process", Kind.CONSUMER, Optional.empty())) {
      tracer
          .carrying(pool)
          .execute(
              () -> {
                try (Span send = tracer.start("fcm PushSender.send", Kind.CLIENT)) {
                  send.outcome("ok");
                }
              });
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    FinishedSpan work = named("notify process");
    assertThat(named("fcm PushSender.send").parentSpanId()).contains(work.spanId());
  }

  @Test
  void closingTwiceEndsOnce() {
    Tracer tracer = tracer();
    Span work = tracer.begin("work", Kind.SERVER, Optional.empty());
    work.close();
    work.close();
    assertThat(finished()).hasSize(1);
    assertThat(tracer.traceparent()).isEmpty();
  }
}
