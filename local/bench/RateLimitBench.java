import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.shared.adapter.redis.RedisClient;
import dev.cirrus.shared.adapter.redis.RedisRateLimiter;
import dev.cirrus.shared.config.RateLimitPolicy;
import dev.cirrus.shared.config.RouteClass;
import dev.cirrus.shared.ratelimit.RateLimitGate;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What the front door's rate check costs a request: the gate's one script call for two buckets
 * (user and address) against one Redis GET, the floor any Redis-backed check pays, measured in the
 * same run against the same redis-server. Rounds alternate so both see the same machine.
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
      // Warm both paths (JIT, the script cached by Redis) before measuring.
      for (int i = 0; i < 5_000; i++) {
        client.call("GET", "bench:key");
        gate.check(RouteClass.READ, "user-" + (i % 100), "203.0.113." + (i % 50));
      }
      long[][] get = new long[rounds][];
      long[][] check = new long[rounds][];
      for (int r = 0; r < rounds; r++) {
        boolean getFirst = r % 2 == 0;
        if (getFirst) {
          get[r] = time(requests, i -> client.call("GET", "bench:key"));
          check[r] =
              time(
                  requests,
                  i -> gate.check(RouteClass.READ, "user-" + (i % 100), "203.0.113." + (i % 50)));
        } else {
          check[r] =
              time(
                  requests,
                  i -> gate.check(RouteClass.READ, "user-" + (i % 100), "203.0.113." + (i % 50)));
          get[r] = time(requests, i -> client.call("GET", "bench:key"));
        }
      }
      long[] g = merge(get);
      long[] c = merge(check);
      System.out.printf(
          "rate check per request, %d rounds x %d on loopback, rounds alternated:%n",
          rounds, requests);
      System.out.printf(
          "  Redis GET (floor)         p50 %6.1f us  p99 %6.1f us%n", pct(g, 50), pct(g, 99));
      System.out.printf(
          "  limit check (2 buckets)   p50 %6.1f us  p99 %6.1f us%n", pct(c, 50), pct(c, 99));
      System.out.printf(
          "  ratio check / GET         p50 %.2fx  p99 %.2fx%n",
          pct(c, 50) / pct(g, 50), pct(c, 99) / pct(g, 99));
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
