package dev.cirrus.shared.log;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The W3C trace a request or message belongs to. Parsed from {@code traceparent} first, then from
 * Google's older {@code X-Cloud-Trace-Context}; absent or garbled headers give no trace rather than
 * an error, since tracing must never fail a request.
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {
  private static final Pattern TRACEPARENT =
      Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
  private static final Pattern CLOUD_TRACE =
      Pattern.compile("^([0-9a-fA-F]{32})(?:/(\\d{1,20}))?(?:;o=([01]))?$");

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");

  public TraceContext {
    if (traceId == null || !TRACE_ID.matcher(traceId).matches() || allZero(traceId)) {
      throw new IllegalArgumentException("invalid trace id: " + traceId);
    }
    if (spanId == null || !SPAN_ID.matcher(spanId).matches()) {
      throw new IllegalArgumentException("invalid span id: " + spanId);
    }
  }

  public static Optional<TraceContext> parse(String traceparent, String cloudTraceContext) {
    if (traceparent != null) {
      Matcher m = TRACEPARENT.matcher(traceparent.trim());
      if (m.matches() && !allZero(m.group(1)) && !allZero(m.group(2))) {
        boolean sampled = (Integer.parseInt(m.group(3), 16) & 1) == 1;
        return Optional.of(new TraceContext(m.group(1), m.group(2), sampled));
      }
    }
    if (cloudTraceContext != null) {
      Matcher m = CLOUD_TRACE.matcher(cloudTraceContext.trim());
      if (m.matches() && !allZero(m.group(1))) {
        String span = m.group(2) == null ? "1" : m.group(2);
        String spanHex;
        try {
          spanHex = String.format("%016x", Long.parseUnsignedLong(span));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
        if (allZero(spanHex)) {
          spanHex = "0000000000000001";
        }
        return Optional.of(
            new TraceContext(m.group(1).toLowerCase(), spanHex, "1".equals(m.group(3))));
      }
    }
    return Optional.empty();
  }

  private static boolean allZero(String hex) {
    return hex.chars().allMatch(c -> c == '0');
  }

  /** The header to pass on to the next hop (a Pub/Sub attribute or an outgoing call). */
  public String toTraceparent() {
    return "00-" + traceId + "-" + spanId + "-" + (sampled ? "01" : "00");
  }
}
