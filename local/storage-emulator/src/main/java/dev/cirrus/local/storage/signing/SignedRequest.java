package dev.cirrus.local.storage.signing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a V4 signature covers, as it arrived: the method, the raw (still percent-encoded) path and
 * query, and the headers. Header names are case-insensitive; a repeated header keeps its values in
 * order.
 */
public record SignedRequest(
    String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
  public SignedRequest {
    TreeMap<String, List<String>> lower = new TreeMap<>();
    headers.forEach(
        (name, values) ->
            lower.merge(
                name.toLowerCase(Locale.ROOT),
                List.copyOf(values),
                (a, b) -> {
                  List<String> all = new ArrayList<>(a);
                  all.addAll(b);
                  return List.copyOf(all);
                }));
    headers = Collections.unmodifiableMap(lower);
    rawQuery = rawQuery == null ? "" : rawQuery;
  }

  /** All values of a header, lower-case name. */
  public List<String> header(String lowerCaseName) {
    return headers.getOrDefault(lowerCaseName, List.of());
  }

  public Optional<String> firstHeader(String lowerCaseName) {
    return header(lowerCaseName).stream().findFirst();
  }
}
