package dev.cirrus.shared.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.shared.config.RateBudget;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.ratelimit.Bucket;
import dev.cirrus.shared.ratelimit.RateLimiter;
import dev.cirrus.shared.ratelimit.RateLimiterContract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rate-limit contract against Debian's redis-server, and what a broken Redis does to it. */
class RedisRateLimiterTest extends RateLimiterContract {
  private static EmulatorProcess redis;
  private static RedisClient client;
  private static RedisRateLimiter limiter;

  @BeforeAll
  static void start() throws IOException {
    redis = Emulators.redis(Emulators.freePort(), Files.createTempDirectory("redis"));
    client =
        new RedisClient(
            URI.create("redis://" + redis.host()), Duration.ofMillis(500), Optional.empty());
    limiter = new RedisRateLimiter(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    redis.close();
  }

  @Override
  protected RateLimiter limiter() {
    return limiter;
  }

  @Override
  protected void pass(Duration time) throws InterruptedException {
    Thread.sleep(time.toMillis());
  }

  private static final Bucket ANY = new Bucket("test:any", new RateBudget(10, Duration.ofHours(1)));

  @Test
  void theScriptIsLoadedAgainAfterRedisForgetsIt() throws Exception {
    limiter.take(List.of(ANY));
    client.call("SCRIPT", "FLUSH");
    assertThat(limiter.take(List.of(ANY)).allowed()).isTrue();
  }

  @Test
  void aServerThatAnswersGarbageOrNothingIsUnavailableWithinTheTimeout() throws Exception {
    try (ServerSocket liar = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread garbage =
          new Thread(
              () -> {
                try (Socket s = liar.accept()) {
                  OutputStream out = s.getOutputStream();
                  out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  Thread.sleep(2000);
                } catch (IOException | InterruptedException ignored) {
                  // the test is over
                }
              });
      garbage.start();
      for (ServerSocket server : List.of(liar, mute)) {
        try (RedisClient broken =
            new RedisClient(
                URI.create("redis://127.0.0.1:" + server.getLocalPort()),
                Duration.ofMillis(300),
                Optional.empty())) {
          RedisRateLimiter brokenLimiter = new RedisRateLimiter(broken);
          long t0 = System.nanoTime();
          assertThatThrownBy(() -> brokenLimiter.take(List.of(ANY)))
              .isInstanceOf(Unavailable.class);
          assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
          // Paused after the failure: the next call does not wait again.
          long t1 = System.nanoTime();
          assertThatThrownBy(() -> brokenLimiter.take(List.of(ANY)))
              .isInstanceOf(Unavailable.class);
          assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofMillis(50));
        }
      }
      garbage.join();
    }
  }
}
