package dev.cirrus.shared.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where App Check is required. {@code CIRRUS_APP_CHECK} sets every class ({@code off} by default,
 * so an app that has not shipped App Check yet keeps working); {@code CIRRUS_APP_CHECK_READS},
 * {@code _WRITES} and {@code _UPLOADS} override one class, e.g. {@code monitor} everywhere and
 * {@code enforce} on uploads. Any mode but {@code off} needs {@code
 * CIRRUS_APP_CHECK_PROJECT_NUMBER}: App Check tokens name the project by number, not by id.
 *
 * @param projectNumber the Firebase project's number, present unless every class is off
 */
public record AppCheckPolicy(Map<RouteClass, AppCheckMode> modes, Optional<String> projectNumber) {
  private static final Pattern PROJECT_NUMBER = Pattern.compile("[0-9]{1,20}");

  public static final AppCheckPolicy OFF =
      new AppCheckPolicy(defaults(AppCheckMode.OFF), Optional.empty());

  public AppCheckPolicy {
    modes = Map.copyOf(new EnumMap<>(modes));
    for (RouteClass c : RouteClass.values()) {
      if (!modes.containsKey(c)) {
        throw new IllegalArgumentException("no App Check mode for " + c);
      }
    }
    if (modes.values().stream().anyMatch(m -> m != AppCheckMode.OFF) && projectNumber.isEmpty()) {
      throw new ConfigException(
          "CIRRUS_APP_CHECK_PROJECT_NUMBER must be set when App Check is monitor or enforce");
    }
  }

  public AppCheckMode mode(RouteClass routeClass) {
    return modes.get(routeClass);
  }

  public boolean anyOn() {
    return modes.values().stream().anyMatch(m -> m != AppCheckMode.OFF);
  }

  /** Reads the variables above; a bad value is a start-up error that names its variable. */
  public static AppCheckPolicy fromEnvironment(Map<String, String> env) {
    AppCheckMode all =
        Optional.ofNullable(env.get("CIRRUS_APP_CHECK"))
            .filter(v -> !v.isBlank())
            .map(v -> AppCheckMode.parse("CIRRUS_APP_CHECK", v))
            .orElse(AppCheckMode.OFF);
    Map<RouteClass, AppCheckMode> modes = defaults(all);
    for (RouteClass c : RouteClass.values()) {
      String name = "CIRRUS_APP_CHECK_" + c.variableSuffix();
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        modes.put(c, AppCheckMode.parse(name, value));
      }
    }
    Optional<String> number =
        Optional.ofNullable(env.get("CIRRUS_APP_CHECK_PROJECT_NUMBER")).filter(v -> !v.isBlank());
    number.ifPresent(
        n -> {
          if (!PROJECT_NUMBER.matcher(n).matches()) {
            throw new ConfigException(
                "CIRRUS_APP_CHECK_PROJECT_NUMBER must be the project's number (digits), got: " + n);
          }
        });
    return new AppCheckPolicy(modes, number);
  }

  private static Map<RouteClass, AppCheckMode> defaults(AppCheckMode mode) {
    Map<RouteClass, AppCheckMode> modes = new EnumMap<>(RouteClass.class);
    for (RouteClass c : RouteClass.values()) {
      modes.put(c, mode);
    }
    return modes;
  }
}
