package dev.cirrus.shared.adapter.telemetry;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How spans are sampled and where they go, from the standard {@code OTEL_*} variables
 * (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables), read by hand: the
 * SDK's autoconfigure module would load its service-provider machinery on every cold start. By
 * default spans go to Cloud Trace's OTLP endpoint, {@code POST
 * https://telemetry.googleapis.com/v1/traces} (Telemetry (OTLP) API reference, scope {@code
 * trace.append}), over HTTP with protobuf bodies: no gRPC on the cold path. A value this cannot
 * honour (an unknown sampler, the gRPC protocol) fails the start, as every bad setting does.
 *
 * @param exportSpans false for {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none}
 * @param endpoint the full URL spans are POSTed to
 * @param headers extra request headers ({@code OTEL_EXPORTER_OTLP_HEADERS})
 * @param googleAuth whether requests carry the instance's Google token: only to Google's endpoint
 * @param flushEachUnit export a request's spans before it ends ({@code CIRRUS_TRACE_FLUSH}), since
 *     Cloud Run lends a function CPU only while it handles a request
 */
public record TelemetrySettings(
    boolean exportSpans,
    String serviceName,
    Map<String, String> resourceAttributes,
    URI endpoint,
    Map<String, String> headers,
    boolean googleAuth,
    Duration timeout,
    boolean gzip,
    String sampler,
    double samplerRatio,
    Duration scheduleDelay,
    int maxQueueSize,
    int maxExportBatchSize,
    boolean flushEachUnit) {
  /** Cloud Trace's OTLP endpoint. */
  public static final URI CLOUD_TRACE = URI.create("https://telemetry.googleapis.com/v1/traces");

  private static final String GOOGLE_HOST = "telemetry.googleapis.com";

  public TelemetrySettings {
    resourceAttributes = Map.copyOf(resourceAttributes);
    headers = Map.copyOf(headers);
  }

  /**
   * These settings in {@code projectId}: a {@code demo-} project exists only on the emulators, so
   * spans bound for Google's endpoint have nowhere to go and no credentials to go with; they are
   * not exported. Spans for a collector of the user's own still are.
   */
  public TelemetrySettings in(String projectId) {
    if (!projectId.startsWith("demo-") || !googleAuth) {
      return this;
    }
    return new TelemetrySettings(
        false,
        serviceName,
        resourceAttributes,
        endpoint,
        headers,
        googleAuth,
        timeout,
        gzip,
        sampler,
        samplerRatio,
        scheduleDelay,
        maxQueueSize,
        maxExportBatchSize,
        flushEachUnit);
  }

  /** From {@code env} (the process environment), for the function {@code functionName}. */
  public static TelemetrySettings from(Map<String, String> env, String functionName) {
    boolean disabled = "true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "false"));
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "otlp").trim();
    if (!exporter.equals("otlp") && !exporter.equals("none")) {
      throw new IllegalArgumentException(
          "OTEL_TRACES_EXPORTER must be otlp or none, not " + exporter);
    }
    String protocol =
        first(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")
            .orElse("http/protobuf");
    if (!protocol.equals("http/protobuf")) {
      throw new IllegalArgumentException(
          "OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf, not "
              + protocol
              + ": gRPC export would put gRPC back on every cold start");
    }
    URI endpoint =
        first(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .map(TelemetrySettings::url)
            .or(
                () ->
                    first(env, "OTEL_EXPORTER_OTLP_ENDPOINT")
                        .map(base -> url(base.replaceAll("/+$", "") + "/v1/traces")))
            .orElse(CLOUD_TRACE);
    Map<String, String> resource = new LinkedHashMap<>();
    pairs(env.get("OTEL_RESOURCE_ATTRIBUTES"), "OTEL_RESOURCE_ATTRIBUTES").forEach(resource::put);
    String service =
        first(env, "OTEL_SERVICE_NAME").orElse(resource.getOrDefault("service.name", functionName));
    Map<String, String> headers =
        pairs(
            first(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS")
                .orElse(null),
            "OTEL_EXPORTER_OTLP_HEADERS");
    String compression =
        first(env, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION")
            .orElse("none");
    if (!compression.equals("gzip") && !compression.equals("none")) {
      throw new IllegalArgumentException(
          "OTEL_EXPORTER_OTLP_COMPRESSION must be gzip or none, not " + compression);
    }
    String sampler =
        env.getOrDefault("OTEL_TRACES_SAMPLER", "parentbased_always_on")
            .trim()
            .toLowerCase(Locale.ROOT);
    if (!SAMPLERS.contains(sampler)) {
      throw new IllegalArgumentException(
          "OTEL_TRACES_SAMPLER must be one of " + SAMPLERS + ", not " + sampler);
    }
    double ratio = number(env, "OTEL_TRACES_SAMPLER_ARG", 1.0);
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG must be within [0, 1]");
    }
    String flush = env.getOrDefault("CIRRUS_TRACE_FLUSH", "each-unit").trim();
    if (!flush.equals("each-unit") && !flush.equals("background")) {
      throw new IllegalArgumentException(
          "CIRRUS_TRACE_FLUSH must be each-unit or background, not " + flush);
    }
    return new TelemetrySettings(
        !disabled && exporter.equals("otlp"),
        service,
        resource,
        endpoint,
        headers,
        GOOGLE_HOST.equals(endpoint.getHost()),
        Duration.ofMillis(
            (long)
                number(
                    env,
                    first(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT").isPresent()
                        ? "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"
                        : "OTEL_EXPORTER_OTLP_TIMEOUT",
                    10_000)),
        compression.equals("gzip"),
        sampler,
        ratio,
        Duration.ofMillis((long) number(env, "OTEL_BSP_SCHEDULE_DELAY", 5_000)),
        (int) number(env, "OTEL_BSP_MAX_QUEUE_SIZE", 2_048),
        (int) number(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512),
        flush.equals("each-unit"));
  }

  private static final List<String> SAMPLERS =
      List.of(
          "always_on",
          "always_off",
          "traceidratio",
          "parentbased_always_on",
          "parentbased_always_off",
          "parentbased_traceidratio");

  private static Optional<String> first(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  private static URI url(String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the OTLP endpoint is not a URL: " + value, e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the OTLP endpoint must be http(s): " + value);
    }
    return uri;
  }

  private static double number(Map<String, String> env, String name, double otherwise) {
    Optional<String> value = first(env, name);
    if (value.isEmpty()) {
      return otherwise;
    }
    try {
      double n = Double.parseDouble(value.get());
      if (n < 0 || Double.isNaN(n)) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not " + value.get(), e);
    }
  }

  /** The W3C Baggage-like {@code key=value,key2=value2} lists the OTEL_* variables use. */
  private static Map<String, String> pairs(String list, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null || list.isBlank()) {
      return out;
    }
    for (String pair : list.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(name + " must be key=value pairs, not " + pair.trim());
      }
      out.put(
          URLDecoder.decode(pair.substring(0, eq).trim(), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8));
    }
    return out;
  }
}
