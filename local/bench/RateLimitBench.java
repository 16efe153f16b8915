import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.shared.adapter.redis.RedisClient;
import dev.cirrus.shared.adapter.redis.RedisRateLimiter;
import dev.cirrus.shared.adapter.redis.RedisUserCache;
import dev.cirrus.shared.config.RateLimitPolicy;
import dev.cirrus.shared.config.RouteClass;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.ratelimit.RateLimitGate;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.TieredUserCache;
import dev.cirrus.shared.users.UserRecord;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the front door costs a request: the rate gate's one script call for two buckets (user and
 * address), and the user cache's read of a profile from Redis (a GET and its JSON) and from the
 * instance's own copy, each against one Redis GET, the floor any Redis-backed check pays, measured
 * in the same run against the same redis-server. Rounds rotate so all see the same machine.
 *
 * <p>Usage: java -cp ... local/bench/RateLimitBench.java [requests per round=20000] [rounds=5]
 */
public class RateLimitBench {
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    try (EmulatorProcess redis =
            Emulators.redis(Emulators.freePort(), Files.createTempDirectory("bench-redis"));
        RedisClient client =
            new RedisClient(
                URI.create("redis://" + redis.host()), Duration.ofMillis(500), Optional.empty())) {
      client.call("SET", "bench:key", "x".repeat(64));
      RateLimitGate gate =
          new RateLimitGate(
              RateLimitPolicy.fromEnvironment(
                  Map.of(
                      "CIRRUS_RATE_READS_PER_USER", "1000000000/60s",
                      "CIRRUS_RATE_READS_PER_ADDRESS", "1000000000/60s")),
              new RedisRateLimiter(client));
      TieredUserCache shared =
          new TieredUserCache(
              new RedisUserCache(
                  client,
                  new JsonCodec().mapper(),
                  Duration.ofHours(1),
                  RedisUserCache.EVICTION_MARK),
              Duration.ZERO,
              10_000,
              Clock.systemUTC(),
              why -> {
                throw new IllegalStateException(why);
              });
      TieredUserCache near =
          new TieredUserCache(shared, Duration.ofSeconds(10), 10_000, Clock.systemUTC(), why -> {});
      for (int u = 0; u < 100; u++) {
        shared.remember(
            new UserRecord(
                "user-" + u,
                Optional.of("user-" + u + "@example.com"),
                new Settings(List.of("file.deleted")),
                new Quota(123_456_789L, 42, 5L << 30),
                Instant.parse("2026-12-01T10:11:12Z")));
      }
      Map<String, Call> paths = new LinkedHashMap<>();
      paths.put("Redis GET (floor)        ", i -> client.call("GET", "bench:key"));
      paths.put(
          "limit check (2 buckets)  ",
          i -> gate.check(RouteClass.READ, "user-" + (i % 100), "203.0.113." + (i % 50)));
      paths.put(
          "profile from Redis       ",
          i -> {
            if (shared.find("user-" + (i % 100)).isEmpty()) {
              throw new IllegalStateException("a cached profile went missing");
            }
          });
      paths.put(
          "profile, instance's copy ",
          i -> {
            if (near.find("user-" + (i % 100)).isEmpty()) {
              throw new IllegalStateException("a cached profile went missing");
            }
          });
      // Warm every path (JIT, the script cached by Redis) before measuring.
      for (Call call : paths.values()) {
        for (int i = 0; i < 5_000; i++) {
          call.run(i);
        }
      }
      Map<String, List<long[]>> samples = new LinkedHashMap<>();
      paths.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
      List<String> order = new ArrayList<>(paths.keySet());
      for (int r = 0; r < rounds; r++) {
        // Each round starts with a different path, so none always runs on the coolest machine.
        for (int k = 0; k < order.size(); k++) {
          String name = order.get((k + r) % order.size());
          samples.get(name).add(time(requests, paths.get(name)));
        }
      }
      System.out.printf(
          "front door per request, %d rounds x %d on loopback, rounds rotated:%n",
          rounds, requests);
      long[] floor = merge(samples.get(order.get(0)).toArray(long[][]::new));
      for (String name : order) {
        long[] all = merge(samples.get(name).toArray(long[][]::new));
        System.out.printf(
            "  %s p50 %6.1f us  p99 %6.1f us   / GET: p50 %.2fx  p99 %.2fx%n",
            name,
            pct(all, 50),
            pct(all, 99),
            pct(all, 50) / pct(floor, 50),
            pct(all, 99) / pct(floor, 99));
      }
      System.out.printf("  user cache failures %d%n", shared.failureCount());
      System.out.printf(
          "  limited %d, failed open %d%n", gate.limitedCount(), gate.failedOpenCount());
    }
  }

  interface Call {
    void run(int i) throws Exception;
  }

  static long[] time(int n, Call call) throws Exception {
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      call.run(i);
      nanos[i] = System.nanoTime() - t0;
    }
    return nanos;
  }

  static long[] merge(long[][] rounds) {
    long[] all = Arrays.stream(rounds).flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(all);
    return all;
  }

  static double pct(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p / 100.0 * (sorted.length - 1)))]
        / 1000.0;
  }
}
