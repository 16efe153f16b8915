package dev.cirrus.shared.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void traceparentIsPreferred() {
    TraceContext t =
        TraceContext.parse(
                "00-" + TRACE + "-00f067aa0ba902b7-01", "ffffffffffffffffffffffffffffffff/1")
            .orElseThrow();
    assertThat(t.traceId()).isEqualTo(TRACE);
    assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(t.sampled()).isTrue();
    assertThat(t.toTraceparent()).isEqualTo("00-" + TRACE + "-00f067aa0ba902b7-01");
  }

  @Test
  void cloudTraceContextIsUnderstood() {
    TraceContext t = TraceContext.parse(null, TRACE.toUpperCase() + "/255;o=1").orElseThrow();
    assertThat(t.traceId()).isEqualTo(TRACE);
    assertThat(t.spanId()).isEqualTo("00000000000000ff");
    assertThat(t.sampled()).isTrue();
  }

  @Test
  void garbageGivesNoTraceRatherThanAnError() {
    assertThat(TraceContext.parse("00-xyz-1-01", "nope")).isEmpty();
    assertThat(TraceContext.parse("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01", null)).isEmpty();
    assertThat(TraceContext.parse(null, null)).isEmpty();
  }
}
