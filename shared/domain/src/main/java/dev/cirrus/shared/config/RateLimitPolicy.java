package dev.cirrus.shared.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rate budgets of the front door, per route class, for each user and for each client address.
 * An address gets ten times a user's budget: many phones share one address behind carrier NAT, so
 * one user's burst spends their own budget long before the address's and never locks the others
 * out. Defaults, per user (per address):
 *
 * <ul>
 *   <li>reads {@code 300/60s} ({@code 3000/60s}): 5 a second once a burst of 300 is spent, so 1,000
 *       reads in ten seconds are refused in part (about 650 of them) while an app that refreshes a
 *       screen now and then never meets the limit;
 *   <li>writes {@code 120/60s} ({@code 1200/60s});
 *   <li>upload sessions {@code 60/600s} ({@code 600/600s}): an album of 60 photos at once, then one
 *       every ten seconds.
 * </ul>
 *
 * <p>Set with {@code CIRRUS_RATE_<READS|WRITES|UPLOADS>_PER_<USER|ADDRESS>} ({@code
 * <requests>/<seconds>s}); {@code CIRRUS_RATE_LIMITS=off} turns them off. Zero, negative or
 * malformed budgets stop the function at start, naming the variable.
 *
 * @param addressHop which {@code X-Forwarded-For} entry is the client, counted from the right
 *     ({@code CIRRUS_RATE_ADDRESS_HOP}, default 1: the one the nearest proxy appended; entries left
 *     of the trusted ones are whatever the client wrote)
 */
public record RateLimitPolicy(
    boolean enabled,
    Map<RouteClass, RateBudget> perUser,
    Map<RouteClass, RateBudget> perAddress,
    int addressHop) {

  public static final RateLimitPolicy DEFAULTS =
      new RateLimitPolicy(
          true,
          Map.of(
              RouteClass.READ, new RateBudget(300, Duration.ofSeconds(60)),
              RouteClass.WRITE, new RateBudget(120, Duration.ofSeconds(60)),
              RouteClass.UPLOAD, new RateBudget(60, Duration.ofSeconds(600))),
          Map.of(
              RouteClass.READ, new RateBudget(3000, Duration.ofSeconds(60)),
              RouteClass.WRITE, new RateBudget(1200, Duration.ofSeconds(60)),
              RouteClass.UPLOAD, new RateBudget(600, Duration.ofSeconds(600))),
          1);

  public static final RateLimitPolicy OFF =
      new RateLimitPolicy(false, DEFAULTS.perUser(), DEFAULTS.perAddress(), 1);

  public RateLimitPolicy {
    perUser = Map.copyOf(new EnumMap<>(perUser));
    perAddress = Map.copyOf(new EnumMap<>(perAddress));
    if (addressHop < 1 || addressHop > 10) {
      throw new ConfigException(
          "CIRRUS_RATE_ADDRESS_HOP must be between 1 and 10, got: " + addressHop);
    }
    for (RouteClass c : RouteClass.values()) {
      if (!perUser.containsKey(c) || !perAddress.containsKey(c)) {
        throw new IllegalArgumentException("no rate budget for " + c);
      }
    }
  }

  public RateBudget forUser(RouteClass routeClass) {
    return perUser.get(routeClass);
  }

  public RateBudget forAddress(RouteClass routeClass) {
    return perAddress.get(routeClass);
  }

  public static RateLimitPolicy fromEnvironment(Map<String, String> env) {
    String switchValue =
        Optional.ofNullable(env.get("CIRRUS_RATE_LIMITS")).map(String::trim).orElse("on");
    boolean enabled =
        switch (switchValue.toLowerCase(Locale.ROOT)) {
          case "", "on" -> true;
          case "off" -> false;
          default ->
              throw new ConfigException(
                  "CIRRUS_RATE_LIMITS must be on or off, got: " + switchValue);
        };
    return new RateLimitPolicy(
        enabled,
        read(env, "USER", DEFAULTS.perUser()),
        read(env, "ADDRESS", DEFAULTS.perAddress()),
        (int) Limits.number(env, "CIRRUS_RATE_ADDRESS_HOP", 1));
  }

  private static Map<RouteClass, RateBudget> read(
      Map<String, String> env, String subject, Map<RouteClass, RateBudget> defaults) {
    Map<RouteClass, RateBudget> budgets = new EnumMap<>(defaults);
    for (RouteClass c : RouteClass.values()) {
      String name = "CIRRUS_RATE_" + c.variableSuffix() + "_PER_" + subject;
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        budgets.put(c, RateBudget.parse(name, value));
      }
    }
    return budgets;
  }
}
