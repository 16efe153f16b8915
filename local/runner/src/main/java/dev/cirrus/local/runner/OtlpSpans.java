package dev.cirrus.local.runner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of an OTLP/HTTP export ({@code ExportTraceServiceRequest}, protobuf), read with a
 * protobuf reader of its own: the stack's collector takes what the functions' exporter sends, as
 * Cloud Trace's endpoint does, without a protobuf runtime on the runner. Fields it does not need
 * (events, links, trace state) are skipped, as any protobuf reader skips unknown fields.
 */
final class OtlpSpans {
  /** One span as the collector keeps it; ids in lower-case hex, times in Unix nanoseconds. */
  record Collected(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      long startNanos,
      long endNanos,
      Map<String, String> attributes,
      boolean error) {}

  private OtlpSpans() {}

  /** The spans in {@code body}; a body that is not one is an {@link IllegalArgumentException}. */
  static List<Collected> parse(byte[] body) {
    List<Collected> spans = new ArrayList<>();
    Reader request = new Reader(body, 0, body.length);
    while (request.more()) {
      int tag = request.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        resourceSpans(request.message(), spans);
      } else {
        request.skip(tag);
      }
    }
    return spans;
  }

  private static void resourceSpans(Reader in, List<Collected> spans) {
    String service = "";
    List<Reader> scopes = new ArrayList<>();
    while (in.more()) {
      int tag = in.tag();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) { // Resource
        Reader resource = in.message();
        while (resource.more()) {
          int t = resource.tag();
          if (t >>> 3 == 1 && (t & 7) == 2) {
            Map.Entry<String, String> kv = keyValue(resource.message());
            if (kv.getKey().equals("service.name")) {
              service = kv.getValue();
            }
          } else {
            resource.skip(t);
          }
        }
      } else if (field == 2 && (tag & 7) == 2) { // ScopeSpans
        scopes.add(in.message());
      } else {
        in.skip(tag);
      }
    }
    for (Reader scope : scopes) {
      while (scope.more()) {
        int tag = scope.tag();
        if (tag >>> 3 == 2 && (tag & 7) == 2) {
          spans.add(span(service, scope.message()));
        } else {
          scope.skip(tag);
        }
      }
    }
  }

  private static Collected span(String service, Reader in) {
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    boolean error = false;
    Map<String, String> attributes = new LinkedHashMap<>();
    while (in.more()) {
      int tag = in.tag();
      switch (tag >>> 3) {
        case 1 -> traceId = HexFormat.of().formatHex(in.bytes());
        case 2 -> spanId = HexFormat.of().formatHex(in.bytes());
        case 4 -> parent = HexFormat.of().formatHex(in.bytes());
        case 5 -> name = in.string();
        case 6 -> kind = (int) in.varint();
        case 7 -> start = in.fixed64();
        case 8 -> end = in.fixed64();
        case 9 -> {
          Map.Entry<String, String> kv = keyValue(in.message());
          attributes.put(kv.getKey(), kv.getValue());
        }
        case 15 -> {
          Reader status = in.message();
          while (status.more()) {
            int t = status.tag();
            if (t >>> 3 == 3) {
              error = status.varint() == 2; // STATUS_CODE_ERROR
            } else {
              status.skip(t);
            }
          }
        }
        default -> in.skip(tag);
      }
    }
    return new Collected(
        service, traceId, spanId, parent, name, kind, start, end, attributes, error);
  }

  /** A {@code KeyValue}; any value but a string is shown as its protobuf scalar. */
  private static Map.Entry<String, String> keyValue(Reader in) {
    String key = "";
    String value = "";
    while (in.more()) {
      int tag = in.tag();
      if (tag >>> 3 == 1) {
        key = in.string();
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        Reader any = in.message();
        while (any.more()) {
          int t = any.tag();
          switch (t >>> 3) {
            case 1 -> value = any.string();
            case 2 -> value = Boolean.toString(any.varint() != 0);
            case 3 -> value = Long.toString(any.varint());
            case 4 -> value = Double.toString(Double.longBitsToDouble(any.fixed64()));
            default -> any.skip(t);
          }
        }
      } else {
        in.skip(tag);
      }
    }
    return Map.entry(key, value);
  }

  /** The protobuf wire format over a slice of bytes. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      return (int) varint();
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = next();
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    long fixed64() {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value |= (long) (next() & 0xff) << (8 * i);
      }
      return value;
    }

    Reader message() {
      int length = length();
      Reader inner = new Reader(buf, pos, pos + length);
      pos += length;
      return inner;
    }

    byte[] bytes() {
      int length = length();
      byte[] out = new byte[length];
      System.arraycopy(buf, pos, out, 0, length);
      pos += length;
      return out;
    }

    String string() {
      int length = length();
      String s = new String(buf, pos, length, StandardCharsets.UTF_8);
      pos += length;
      return s;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default -> throw new IllegalArgumentException("wire type " + (tag & 7));
      }
    }

    private int length() {
      long length = varint();
      if (length < 0 || length > end - pos) {
        throw new IllegalArgumentException("a length past the end of the message");
      }
      return (int) length;
    }

    private void advance(int n) {
      if (n > end - pos) {
        throw new IllegalArgumentException("a field past the end of the message");
      }
      pos += n;
    }

    private byte next() {
      if (pos >= end) {
        throw new IllegalArgumentException("the message ends inside a field");
      }
      return buf[pos++];
    }
  }
}
