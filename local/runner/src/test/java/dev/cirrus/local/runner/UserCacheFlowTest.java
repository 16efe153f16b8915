package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.shared.adapter.redis.RedisClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared user cache through the stack: the users function reads the profile through Redis,
 * writes settings through to it, and process-upload and files, separate processes, evict it when a
 * quota changes. Every wait below is shorter than the shared copy's 120 s: only an eviction can
 * make the new figures show.
 */
@ExtendWith(RunningStack.class)
class UserCacheFlowTest {
  /** The instance's own copy (1 s by default) and the gateway's round trips, with room. */
  private static final Duration NEAR = Duration.ofSeconds(3);

  private static StackApi api;
  private static RedisClient redis;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    api = new StackApi(handle.stack());
    redis =
        new RedisClient(
            URI.create(handle.stack().endpoints().redisUrl()),
            Duration.ofSeconds(1),
            Optional.empty());
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  private static String cached(String uid) throws Exception {
    Object value = redis.call("GET", "user:v1:" + uid);
    return value == null ? null : new String((byte[]) value, StandardCharsets.UTF_8);
  }

  private static JsonNode me(AuthEmulatorClient.User user) throws Exception {
    return StackApi.json(api.call("GET", "/v1/me", user.idToken(), null));
  }

  @Test
  void theProfileIsCachedInRedisAndASettingsChangeIsWrittenThrough() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    assertThat(me(user).path("uid").asText()).isEqualTo(user.uid());
    assertThat(cached(user.uid())).contains("\"uid\":\"" + user.uid() + "\"");

    assertThat(
            api.call("PUT", "/v1/me/settings", user.idToken(), "{\"mutedTypes\":[\"file.ready\"]}")
                .statusCode())
        .isEqualTo(200);
    assertThat(cached(user.uid())).contains("\"mutedTypes\":[\"file.ready\"]");
    assertThat(me(user).path("settings").path("mutedTypes").get(0).asText())
        .isEqualTo("file.ready");
  }

  @Test
  void aFileMadeReadyByProcessUploadShowsInTheProfileSoonAfter() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    assertThat(me(user).path("quota").path("usedBytes").asLong()).isZero();
    String fileId = api.readyTextFile(user, "cached.txt");
    long size = ("text of cached.txt").getBytes(StandardCharsets.UTF_8).length;

    await()
        .atMost(NEAR)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> assertThat(me(user).path("quota").path("usedBytes").asLong()).isEqualTo(size));
    assertThat(me(user).path("quota").path("fileCount").asLong()).isEqualTo(1);

    assertThat(api.call("DELETE", "/v1/files/" + fileId, user.idToken(), null).statusCode())
        .isEqualTo(204);
    await()
        .atMost(NEAR)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> assertThat(me(user).path("quota").path("fileCount").asLong()).isZero());
    assertThat(me(user).path("quota").path("usedBytes").asLong()).isZero();
  }
}
