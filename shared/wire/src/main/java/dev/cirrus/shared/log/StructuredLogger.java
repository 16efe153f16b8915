package dev.cirrus.shared.log;

import dev.cirrus.shared.json.JsonCodec;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON object per line in the shape Cloud Logging parses from a function's stdout: {@code
 * severity}, {@code message}, {@code logging.googleapis.com/trace}, {@code
 * logging.googleapis.com/labels} and, for access lines, {@code httpRequest}. The stream is injected
 * so tests read exactly what would be shipped.
 */
public final class StructuredLogger {
  private final PrintStream out;
  private final JsonCodec json;
  private final Clock clock;
  private final String projectId;
  private final String functionName;

  public StructuredLogger(
      PrintStream out, JsonCodec json, Clock clock, String projectId, String functionName) {
    this.out = out;
    this.json = json;
    this.clock = clock;
    this.projectId = projectId;
    this.functionName = functionName;
  }

  /** Request-scoped facts every line of one request carries. */
  public record Context(String requestId, Optional<TraceContext> trace) {}

  public void info(Context context, String message) {
    emit("INFO", context, message, null);
  }

  /** A line with labels of its own, for log-based metrics to count by, e.g. {@code outcome}. */
  public void info(Context context, String message, Map<String, String> labels) {
    emit("INFO", context, message, null, labels);
  }

  public void warn(Context context, String message) {
    emit("WARNING", context, message, null);
  }

  /**
   * A warning with labels of its own beside the request's, for log-based metrics to count by, e.g.
   * {@code appCheck=missing}.
   */
  public void warn(Context context, String message, Map<String, String> labels) {
    emit("WARNING", context, message, null, labels);
  }

  public void error(Context context, String message, Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    // A stack trace in the message is what Error Reporting picks up.
    emit("ERROR", context, message + "\n" + trace, null);
  }

  /** The one access line per request. */
  /**
   * The one access line, with labels of the request's own (such as {@code appCheck=missing}) for
   * log-based metrics to count by.
   */
  public void access(Context context, Map<String, String> labels, HttpRequestLog request) {
    String severity = request.status() >= 500 ? "ERROR" : "INFO";
    emit(
        severity,
        context,
        request.method() + " " + request.url() + " " + request.status(),
        request.toMap(),
        labels);
  }

  private void emit(String severity, Context context, String message, Map<String, Object> http) {
    emit(severity, context, message, http, Map.of());
  }

  private void emit(
      String severity,
      Context context,
      String message,
      Map<String, Object> http,
      Map<String, String> extraLabels) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("severity", severity);
    entry.put("message", message);
    entry.put("time", clock.instant().toString());
    if (context != null) {
      context
          .trace()
          .ifPresent(
              t -> {
                entry.put(
                    "logging.googleapis.com/trace",
                    "projects/" + projectId + "/traces/" + t.traceId());
                entry.put("logging.googleapis.com/spanId", t.spanId());
                entry.put("logging.googleapis.com/trace_sampled", t.sampled());
              });
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("function", functionName);
    if (context != null) {
      labels.put("requestId", context.requestId());
    }
    labels.putAll(extraLabels);
    entry.put("logging.googleapis.com/labels", labels);
    if (http != null) {
      entry.put("httpRequest", http);
    }
    String line = json.writeString(entry);
    synchronized (out) {
      out.println(line);
    }
  }

  /** The {@code httpRequest} fields Cloud Logging understands. */
  public record HttpRequestLog(
      String method,
      String url,
      int status,
      Duration latency,
      long responseSize,
      String userAgent,
      String remoteIp) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requestMethod", method);
      m.put("requestUrl", url);
      m.put("status", status);
      m.put("responseSize", Long.toString(responseSize));
      m.put("latency", String.format("%.6fs", latency.toNanos() / 1e9));
      if (userAgent != null) {
        m.put("userAgent", userAgent);
      }
      if (remoteIp != null) {
        m.put("remoteIp", remoteIp);
      }
      return m;
    }
  }
}
