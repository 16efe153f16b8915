package dev.cirrus.local.storage.api;

import dev.cirrus.local.storage.BucketPreconditions;
import dev.cirrus.local.storage.Preconditions;
import dev.cirrus.local.storage.StorageError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A request's query parameters, decoded; the first of repeated names wins. */
final class Query {
  private final Map<String, String> values = new HashMap<>();
  private final Map<String, List<String>> repeated = new HashMap<>();

  Query(String raw) {
    if (raw == null) {
      return;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq));
      String value = eq < 0 ? "" : decode(part.substring(eq + 1));
      values.putIfAbsent(name, value);
      repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** Every value of a parameter given more than once ({@code permissions=a&permissions=b}). */
  List<String> all(String name) {
    return List.copyOf(repeated.getOrDefault(name, List.of()));
  }

  /** A {@code true}/{@code false} parameter. */
  boolean flag(String name) {
    String value = values.get(name);
    if (value == null) {
      return false;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw StorageError.invalid("Invalid value for " + name + ": " + value);
    }
    return value.equals("true");
  }

  OptionalLong number(String name) {
    String value = values.get(name);
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw StorageError.invalid("Invalid value for " + name + ": " + value);
    }
  }

  Preconditions preconditions() {
    return new Preconditions(
        number("generation"),
        number("ifGenerationMatch"),
        number("ifGenerationNotMatch"),
        number("ifMetagenerationMatch"),
        number("ifMetagenerationNotMatch"));
  }

  BucketPreconditions bucketPreconditions() {
    return new BucketPreconditions(
        number("ifMetagenerationMatch"), number("ifMetagenerationNotMatch"));
  }

  static String decode(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw StorageError.invalid("Malformed percent-encoding: " + value);
    }
  }

  /** Query strings use + for space; paths do not. */
  static String decodeQueryValue(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
