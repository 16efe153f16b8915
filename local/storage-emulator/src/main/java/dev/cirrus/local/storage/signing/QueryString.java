package dev.cirrus.local.storage.signing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A raw query string taken apart, keeping order and repeats. */
final class QueryString {
  private QueryString() {}

  static List<Map.Entry<String, String>> parse(String rawQuery) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return pairs;
    }
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      pairs.add(new AbstractMap.SimpleImmutableEntry<>(decode(name), decode(value)));
    }
    return pairs;
  }

  static Optional<String> first(String rawQuery, String name) {
    return parse(rawQuery).stream()
        .filter(e -> e.getKey().equals(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Percent-decoding; unlike form decoding, {@code +} stays a plus. */
  private static String decode(String value) {
    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
