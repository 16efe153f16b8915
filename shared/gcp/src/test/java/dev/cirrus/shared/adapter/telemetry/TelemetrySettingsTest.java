package dev.cirrus.shared.adapter.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.tracing.Tracer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {
  @Test
  void withNothingSetSpansGoToCloudTraceWithTheInstancesToken() {
    TelemetrySettings settings = TelemetrySettings.from(Map.of(), "notify");

    assertThat(settings.exportSpans()).isTrue();
    assertThat(settings.endpoint())
        .isEqualTo(URI.create("https://telemetry.googleapis.com/v1/traces"));
    assertThat(settings.googleAuth()).isTrue();
    assertThat(settings.serviceName()).isEqualTo("notify");
    assertThat(settings.sampler()).isEqualTo("parentbased_always_on");
    assertThat(settings.flushEachUnit()).isTrue();
  }

  @Test
  void theStandardVariablesPointItAtAUsersOwnCollector() {
    TelemetrySettings settings =
        TelemetrySettings.from(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/",
                "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=a%20b,api-key=k",
                "OTEL_SERVICE_NAME", "cirrus-notify",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging",
                "OTEL_TRACES_SAMPLER", "traceidratio",
                "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "2000",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                "CIRRUS_TRACE_FLUSH", "background"),
            "notify");

    assertThat(settings.endpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
    assertThat(settings.googleAuth()).as("no Google token to a stranger").isFalse();
    assertThat(settings.headers()).containsEntry("x-tenant", "a b").containsEntry("api-key", "k");
    assertThat(settings.serviceName()).isEqualTo("cirrus-notify");
    assertThat(settings.resourceAttributes()).containsEntry("deployment.environment", "staging");
    assertThat(settings.sampler()).isEqualTo("traceidratio");
    assertThat(settings.samplerRatio()).isEqualTo(0.25);
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.gzip()).isTrue();
    assertThat(settings.flushEachUnit()).isFalse();
  }

  @Test
  void theTracesEndpointIsTakenAsItIs() {
    assertThat(
            TelemetrySettings.from(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318",
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:9/spans"),
                    "f")
                .endpoint())
        .isEqualTo(URI.create("http://127.0.0.1:9/spans"));
  }

  @Test
  void tracingIsOffWhenTheSdkIsDisabledOrNoExporterIsNamed() {
    assertThat(TelemetrySettings.from(Map.of("OTEL_SDK_DISABLED", "true"), "f").exportSpans())
        .isFalse();
    assertThat(TelemetrySettings.from(Map.of("OTEL_TRACES_EXPORTER", "none"), "f").exportSpans())
        .isFalse();
    assertThat(
            OtelTracer.create(
                TelemetrySettings.from(Map.of("OTEL_SDK_DISABLED", "true"), "f"), "p", () -> "t"))
        .isSameAs(Tracer.NONE);
  }

  @Test
  void aDemoProjectSendsNothingToGoogleButStillToAUsersCollector() {
    assertThat(TelemetrySettings.from(Map.of(), "f").in("demo-cirrus").exportSpans()).isFalse();
    assertThat(TelemetrySettings.from(Map.of(), "f").in("acme-prod").exportSpans()).isTrue();
    assertThat(
            TelemetrySettings.from(
                    Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces"),
                    "f")
                .in("demo-cirrus")
                .exportSpans())
        .isTrue();
    assertThat(OtelTracer.create(TelemetrySettings.from(Map.of(), "f"), "demo-x", () -> "t"))
        .isSameAs(Tracer.NONE);
  }

  @Test
  void settingsItCannotHonourFailTheStart() {
    assertThatThrownBy(
            () -> TelemetrySettings.from(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), "f"))
        .hasMessageContaining("gRPC");
    assertThatThrownBy(
            () -> TelemetrySettings.from(Map.of("OTEL_TRACES_SAMPLER", "sometimes"), "f"))
        .hasMessageContaining("OTEL_TRACES_SAMPLER");
    assertThatThrownBy(() -> TelemetrySettings.from(Map.of("OTEL_TRACES_SAMPLER_ARG", "1.5"), "f"))
        .hasMessageContaining("[0, 1]");
    assertThatThrownBy(
            () -> TelemetrySettings.from(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://x"), "f"))
        .hasMessageContaining("http(s)");
    assertThatThrownBy(
            () -> TelemetrySettings.from(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue"), "f"))
        .hasMessageContaining("key=value");
  }
}
