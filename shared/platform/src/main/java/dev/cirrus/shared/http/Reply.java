package dev.cirrus.shared.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, an optional body serialised as JSON, and extra headers.
 *
 * @param body serialised as JSON; {@code null} for no body
 */
public record Reply(int status, Object body, Map<String, String> headers) {
  public Reply {
    if (status < 200 || status > 399) {
      throw new IllegalArgumentException("handlers reply with 2xx or 3xx; errors are exceptions");
    }
    headers = Map.copyOf(headers);
  }

  public static Reply ok(Object body) {
    return new Reply(200, body, Map.of());
  }

  public static Reply created(Object body) {
    return new Reply(201, body, Map.of());
  }

  public static Reply accepted(Object body) {
    return new Reply(202, body, Map.of());
  }

  public static Reply noContent() {
    return new Reply(204, null, Map.of());
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, body, copy);
  }
}
