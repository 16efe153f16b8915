package dev.cirrus.shared.adapter.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link UserCache} on Redis: one string key per user, {@code user:v1:{uid}}, holding the record as
 * JSON until {@code ttl} passes (the bound on how long a record can outlive a change whose eviction
 * was lost). Eviction writes a mark ({@value #EVICTED}) that lives {@code evictionMark}: a reader's
 * {@code SET NX} cannot replace it, so a record read from Firestore before a commit is not put back
 * after the commit's eviction.
 */
public final class RedisUserCache implements UserCache {
  static final String EVICTED = "-";

  /** Longer than any read of a user document takes between its GET here and its SET. */
  public static final Duration EVICTION_MARK = Duration.ofSeconds(5);

  /** A write's record replaces whatever is cached, unless a later write left its mark. */
  static final RedisClient.Script WRITE_THROUGH =
      RedisClient.Script.of(
          "if redis.call('GET', KEYS[1]) == ARGV[3] then return 0 end",
          "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])",
          "return 1");

  /** What is stored: a change of its shape changes the key's {@code v1}. */
  record Entry(
      String uid,
      String email,
      List<String> mutedTypes,
      long usedBytes,
      long fileCount,
      long limitBytes,
      String createdAt) {}

  private final RedisClient redis;
  private final ObjectMapper mapper;
  private final Duration ttl;
  private final Duration evictionMark;

  /**
   * @param ttl how long a record is kept
   * @param evictionMark how long an eviction keeps readers from caching ({@link #EVICTION_MARK})
   */
  public RedisUserCache(
      RedisClient redis, ObjectMapper mapper, Duration ttl, Duration evictionMark) {
    this.redis = redis;
    this.mapper = mapper;
    this.ttl = ttl;
    this.evictionMark = evictionMark;
  }

  static String key(String uid) {
    return "user:v1:" + uid;
  }

  @Override
  public Optional<UserRecord> find(String uid) {
    Object reply = call("GET", key(uid));
    if (reply == null) {
      return Optional.empty();
    }
    if (!(reply instanceof byte[] bytes)) {
      throw new Unavailable("Redis answered GET with " + reply, null);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (EVICTED.equals(text)) {
      return Optional.empty();
    }
    return Optional.of(decode(uid, text));
  }

  @Override
  public void remember(UserRecord user) {
    call("SET", key(user.uid()), encode(user), "PX", Long.toString(ttl.toMillis()), "NX");
  }

  @Override
  public void writeThrough(UserRecord user) {
    try {
      redis.eval(
          WRITE_THROUGH,
          List.of(key(user.uid())),
          List.of(encode(user), Long.toString(ttl.toMillis()), EVICTED));
    } catch (RedisClient.ErrorReply e) {
      throw new Unavailable("Redis refused the user cache's script: " + e.getMessage(), e);
    }
  }

  @Override
  public void evict(String uid) {
    call("SET", key(uid), EVICTED, "PX", Long.toString(evictionMark.toMillis()));
  }

  private Object call(String... command) {
    try {
      return redis.call(command);
    } catch (RedisClient.ErrorReply e) {
      throw new Unavailable("Redis refused " + command[0] + ": " + e.getMessage(), e);
    }
  }

  private String encode(UserRecord user) {
    try {
      return mapper.writeValueAsString(
          new Entry(
              user.uid(),
              user.email().orElse(null),
              user.settings().mutedTypes(),
              user.quota().usedBytes(),
              user.quota().fileCount(),
              user.quota().limitBytes(),
              user.createdAt().toString()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a user record always has a JSON form", e);
    }
  }

  /** A record that does not read back (another shape, garbage) is a failure: Firestore answers. */
  private UserRecord decode(String uid, String text) {
    try {
      Entry e = mapper.readValue(text, Entry.class);
      if (!uid.equals(e.uid())) {
        throw new Unavailable("the user cache holds another user's record under " + uid, null);
      }
      return new UserRecord(
          e.uid(),
          Optional.ofNullable(e.email()),
          new Settings(e.mutedTypes()),
          new Quota(e.usedBytes(), e.fileCount(), e.limitBytes()),
          Instant.parse(e.createdAt()));
    } catch (JsonProcessingException | RuntimeException e) {
      if (e instanceof Unavailable unavailable) {
        throw unavailable;
      }
      throw new Unavailable("the user cache holds an unreadable record for " + uid, e);
    }
  }
}
