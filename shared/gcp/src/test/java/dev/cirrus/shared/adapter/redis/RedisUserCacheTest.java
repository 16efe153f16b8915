package dev.cirrus.shared.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserCacheContract;
import dev.cirrus.shared.users.UserRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The user cache contract against Debian's redis-server, and what it makes of a bad entry. */
class RedisUserCacheTest extends UserCacheContract {
  private static EmulatorProcess redis;
  private static RedisClient client;
  private static RedisUserCache cache;

  @BeforeAll
  static void start() throws IOException {
    redis = Emulators.redis(Emulators.freePort(), Files.createTempDirectory("redis"));
    client =
        new RedisClient(
            URI.create("redis://" + redis.host()), Duration.ofMillis(500), Optional.empty());
    cache = new RedisUserCache(client, new JsonCodec().mapper(), TTL, MARK);
  }

  @AfterAll
  static void stop() {
    client.close();
    redis.close();
  }

  @Override
  protected UserCache cache() {
    return cache;
  }

  @Override
  protected void pass(Duration time) throws InterruptedException {
    Thread.sleep(time.toMillis());
  }

  @Test
  void anEntryThatDoesNotReadBackIsAFailureNotARecord() throws Exception {
    client.call("SET", RedisUserCache.key("u-garbled"), "{\"uid\":\"u-garbled\",\"usedBytes\":-1}");
    assertThatThrownBy(() -> cache.find("u-garbled")).isInstanceOf(Unavailable.class);
    client.call("SET", RedisUserCache.key("u-text"), "not json");
    assertThatThrownBy(() -> cache.find("u-text")).isInstanceOf(Unavailable.class);
  }

  @Test
  void anotherUsersRecordUnderAKeyIsNeverServed() throws Exception {
    client.call(
        "SET",
        RedisUserCache.key("u-victim"),
        "{\"uid\":\"u-other\",\"email\":null,\"mutedTypes\":[],\"usedBytes\":0,"
            + "\"fileCount\":0,\"limitBytes\":1,\"createdAt\":\"2026-12-01T00:00:00Z\"}");
    assertThatThrownBy(() -> cache.find("u-victim")).isInstanceOf(Unavailable.class);
  }

  @Test
  void theWriteScriptIsLoadedAgainAfterRedisForgetsIt() throws Exception {
    client.call("SCRIPT", "FLUSH");
    String uid = "u-after-flush";
    cache.writeThrough(
        new UserRecord(uid, Optional.empty(), Settings.DEFAULT, Quota.empty(1), Instant.EPOCH));
    assertThat(cache.find(uid)).isPresent();
  }
}
