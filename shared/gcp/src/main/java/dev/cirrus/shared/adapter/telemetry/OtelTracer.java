package dev.cirrus.shared.adapter.telemetry;

import com.google.common.base.Suppliers;
import dev.cirrus.shared.tracing.Tracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Tracer} on the OpenTelemetry SDK (whose {@code Tracer} and {@code Span} share our names,
 * so they are spelled in full here): spans batched and exported over OTLP/HTTP (see {@link
 * TelemetrySettings}), the W3C {@code traceparent} parsed by OpenTelemetry's own propagator. The
 * SDK is built on first use, so an instance pays for it with its first traced request.
 */
public final class OtelTracer implements Tracer, AutoCloseable {
  private static final String INSTRUMENTATION = "dev.cirrus";

  /**
   * How long a unit of work waits for its spans' export: an endpoint that is down costs a sampled
   * request this much, never its answer; the export goes on without it.
   */
  static final Duration FLUSH_WAIT = Duration.ofMillis(500);

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<String> TRACEPARENT =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };

  private final TelemetrySettings settings;
  private final Supplier<SdkTracerProvider> provider;
  private final Supplier<io.opentelemetry.api.trace.Tracer> tracer;
  private volatile boolean started;

  /**
   * @param exporter what the settings' endpoint becomes: OTLP/HTTP in production, a test's own
   */
  OtelTracer(
      TelemetrySettings settings,
      String projectId,
      Function<TelemetrySettings, SpanExporter> exporter) {
    this.settings = settings;
    this.provider =
        Suppliers.memoize(
            () -> {
              started = true;
              return provider(settings, projectId, exporter.apply(settings));
            });
    this.tracer = Suppliers.memoize(() -> provider.get().get(INSTRUMENTATION));
  }

  /**
   * The tracer {@code settings} ask for: {@link Tracer#NONE} when no span is to be exported, else
   * spans sent to the settings' endpoint, with {@code googleToken}'s bearer token when that is
   * Google's.
   */
  public static Tracer create(
      TelemetrySettings settings, String projectId, Supplier<String> googleToken) {
    if (!settings.in(projectId).exportSpans()) {
      return Tracer.NONE;
    }
    OtelTracer tracer = new OtelTracer(settings, projectId, s -> otlp(s, googleToken));
    if (!settings.flushEachUnit()) {
      // Cloud Run sends SIGTERM and waits 10 s before it stops an instance: time to export.
      Runtime.getRuntime().addShutdownHook(new Thread(tracer::close, "cirrus-trace-flush"));
    }
    return tracer;
  }

  private static SpanExporter otlp(TelemetrySettings settings, Supplier<String> googleToken) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.endpoint().toString())
            .setTimeout(settings.timeout())
            .setCompression(settings.gzip() ? "gzip" : "none");
    settings.headers().forEach(builder::addHeader);
    if (settings.googleAuth()) {
      builder.setHeaders(() -> Map.of("Authorization", "Bearer " + googleToken.get()));
    }
    return builder.build();
  }

  private static SdkTracerProvider provider(
      TelemetrySettings settings, String projectId, SpanExporter exporter) {
    AttributesBuilder resource = Attributes.builder();
    settings.resourceAttributes().forEach(resource::put);
    resource.put("service.name", settings.serviceName());
    // Cloud Trace files spans under the project this names.
    resource.put("gcp.project_id", projectId);
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
        .setSampler(sampler(settings))
        .addSpanProcessor(
            BatchSpanProcessor.builder(exporter)
                .setScheduleDelay(settings.scheduleDelay())
                .setMaxQueueSize(settings.maxQueueSize())
                .setMaxExportBatchSize(
                    Math.min(settings.maxExportBatchSize(), settings.maxQueueSize()))
                .setExporterTimeout(settings.timeout())
                .build())
        .build();
  }

  private static Sampler sampler(TelemetrySettings settings) {
    return switch (settings.sampler()) {
      case "always_on" -> Sampler.alwaysOn();
      case "always_off" -> Sampler.alwaysOff();
      case "traceidratio" -> Sampler.traceIdRatioBased(settings.samplerRatio());
      case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
      case "parentbased_traceidratio" ->
          Sampler.parentBased(Sampler.traceIdRatioBased(settings.samplerRatio()));
      default -> Sampler.parentBased(Sampler.alwaysOn());
    };
  }

  @Override
  public Tracer.Span begin(String name, Kind kind, Optional<String> parent) {
    // The propagator refuses a malformed, oversized or all-zero traceparent: a new trace then.
    Context context =
        parent.map(p -> W3C.extract(Context.root(), p, TRACEPARENT)).orElse(Context.root());
    return open(
        tracer.get().spanBuilder(name).setParent(context).setSpanKind(kindOf(kind)).startSpan());
  }

  @Override
  public Tracer.Span start(String name, Kind kind) {
    return open(tracer.get().spanBuilder(name).setSpanKind(kindOf(kind)).startSpan());
  }

  @Override
  public Optional<String> traceparent() {
    return traceparentOf(io.opentelemetry.api.trace.Span.current().getSpanContext());
  }

  @Override
  public void annotate(String key, String value) {
    io.opentelemetry.api.trace.Span.current().setAttribute(key, value);
  }

  @Override
  public Executor carrying(Executor executor) {
    return Context.taskWrapping(executor);
  }

  @Override
  public void flush() {
    if (settings.flushEachUnit() && started) {
      long wait = Math.min(FLUSH_WAIT.toMillis(), settings.timeout().toMillis());
      provider.get().forceFlush().join(wait, TimeUnit.MILLISECONDS);
    }
  }

  /** Exports what is queued and stops; spans begun after this are dropped. */
  @Override
  public void close() {
    if (started) {
      provider.get().shutdown().join(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static SpanKind kindOf(Kind kind) {
    return switch (kind) {
      case SERVER -> SpanKind.SERVER;
      case CONSUMER -> SpanKind.CONSUMER;
      case PRODUCER -> SpanKind.PRODUCER;
      case CLIENT -> SpanKind.CLIENT;
      case INTERNAL -> SpanKind.INTERNAL;
    };
  }

  private static Tracer.Span open(io.opentelemetry.api.trace.Span span) {
    return new OtelSpan(span, span.makeCurrent());
  }

  static Optional<String> traceparentOf(SpanContext context) {
    if (!context.isValid()) {
      return Optional.empty();
    }
    return Optional.of(
        "00-"
            + context.getTraceId()
            + "-"
            + context.getSpanId()
            + "-"
            + context.getTraceFlags().asHex());
  }
}
