package dev.cirrus.shared.adapter.redis;

import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.ratelimit.Bucket;
import dev.cirrus.shared.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RateLimiter} on Redis: every bucket of a request in one script, so the check and the take
 * are one atomic step however many instances ask at once. Time is the Redis server's ({@code
 * TIME}), so instances with different clocks still agree on a bucket. Each bucket is a hash of
 * {@code t} (tokens) and {@code ts} (when, in ms) that expires once it would be full again.
 */
public final class RedisRateLimiter implements RateLimiter {
  /** The token-bucket steps of {@code TokenBucket}, for all buckets, all or none. */
  static final RedisClient.Script SCRIPT =
      RedisClient.Script.of(
          "local t = redis.call('TIME')",
          "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
          "local tokens = {}",
          "local allowed = 1",
          "for i = 1, #KEYS do",
          "  local cap = tonumber(ARGV[2 * i - 1])",
          "  local rate = tonumber(ARGV[2 * i])",
          "  local b = redis.call('HMGET', KEYS[i], 't', 'ts')",
          "  local tk = tonumber(b[1])",
          "  local ts = tonumber(b[2])",
          "  if tk == nil or ts == nil then tk = cap ts = now end",
          "  if now > ts then tk = math.min(cap, tk + (now - ts) * rate) end",
          "  tokens[i] = tk",
          "  if tk < 1 then allowed = 0 end",
          "end",
          "local remaining = -1",
          "local retry = 0",
          "local reset = 0",
          "for i = 1, #KEYS do",
          "  local cap = tonumber(ARGV[2 * i - 1])",
          "  local rate = tonumber(ARGV[2 * i])",
          "  if allowed == 1 then tokens[i] = tokens[i] - 1 end",
          "  redis.call('HSET', KEYS[i], 't', tostring(tokens[i]), 'ts', tostring(now))",
          "  redis.call('PEXPIRE', KEYS[i], math.ceil(cap / rate) + 1000)",
          "  local left = math.floor(tokens[i])",
          "  if remaining < 0 or left < remaining then remaining = left end",
          "  if tokens[i] < 1 then",
          "    local w = math.ceil((1 - tokens[i]) / rate)",
          "    if w > retry then retry = w end",
          "  end",
          "  local full = math.ceil((cap - tokens[i]) / rate)",
          "  if full > reset then reset = full end",
          "end",
          "return {allowed, remaining, retry, reset}");

  private final RedisClient redis;

  public RedisRateLimiter(RedisClient redis) {
    this.redis = redis;
  }

  @Override
  public Decision take(List<Bucket> buckets) {
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    for (Bucket b : buckets) {
      keys.add(b.key());
      args.add(Long.toString(b.budget().capacity()));
      args.add(Double.toString(b.budget().perSecond() / 1000.0));
    }
    try {
      return decision(redis.eval(SCRIPT, keys, args));
    } catch (RedisClient.ErrorReply e) {
      throw new Unavailable("Redis refused the rate-limit script: " + e.getMessage(), e);
    }
  }

  private static Decision decision(Object reply) {
    if (!(reply instanceof List<?> values)
        || values.size() != 4
        || !values.stream().allMatch(v -> v instanceof Long)) {
      throw new Unavailable("Redis answered the rate-limit script with " + reply, null);
    }
    long allowed = (Long) values.get(0);
    return new Decision(
        allowed == 1,
        Math.max(0, (Long) values.get(1)),
        Duration.ofMillis((Long) values.get(2)),
        Duration.ofMillis((Long) values.get(3)));
  }
}
