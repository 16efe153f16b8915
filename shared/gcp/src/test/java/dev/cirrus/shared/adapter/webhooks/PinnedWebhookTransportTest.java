package dev.cirrus.shared.adapter.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cirrus.shared.webhooks.DeliveryPolicy.Attempt;
import dev.cirrus.shared.webhooks.EgressAddresses;
import dev.cirrus.shared.webhooks.WebhookTransport;
import dev.cirrus.shared.webhooks.WebhookUrl;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against receivers on loopback, each a way a receiver misbehaves. The URL names a
 * host that does not exist ({@code .test} is reserved): the request arriving proves the client
 * connected to the checked address it was given and never looked the name up.
 */
class PinnedWebhookTransportTest {
  private static final List<InetAddress> LOOPBACK = List.of(EgressAddresses.literal("127.0.0.1"));
  private HttpServer server;
  private PinnedWebhookTransport transport;
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private final AtomicInteger redirectTargetHits = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/ok",
        ex -> {
          seen.put("host", ex.getRequestHeaders().getFirst("Host"));
          seen.put("webhook-id", ex.getRequestHeaders().getFirst("webhook-id"));
          seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.createContext(
        "/busy",
        ex -> {
          ex.getResponseHeaders().add("Retry-After", "120");
          ex.sendResponseHeaders(429, -1);
          ex.close();
        });
    server.createContext(
        "/hang",
        ex -> {
          try {
            Thread.sleep(5_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.createContext(
        "/huge",
        ex -> {
          ex.sendResponseHeaders(200, 10L * 1024 * 1024);
          byte[] chunk = new byte[64 * 1024];
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 160; i++) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // the client stopped reading at its cap and went away: as intended
          }
        });
    server.createContext(
        "/redirect",
        ex -> {
          ex.getResponseHeaders().add("Location", "/target");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    server.createContext(
        "/target",
        ex -> {
          redirectTargetHits.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    transport = new PinnedWebhookTransport(Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() throws IOException {
    transport.close();
    server.stop(0);
  }

  private Attempt post(String path) {
    WebhookUrl url =
        WebhookUrl.parse("http://hooks.cirrus.test:" + server.getAddress().getPort() + path, true);
    return transport.post(
        url, LOOPBACK, Map.of("webhook-id", "msg_1"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theRequestGoesToTheCheckedAddressUnderItsOwnName() {
    assertThat(post("/ok")).isEqualTo(new Attempt.Answered(204, Optional.empty()));
    assertThat(seen.get("host")).startsWith("hooks.cirrus.test:");
    assertThat(seen.get("webhook-id")).isEqualTo("msg_1");
    assertThat(seen.get("body")).isEqualTo("{\"a\":1}");
  }

  @Test
  void withNoCheckedAddressNothingIsLookedUpAndNothingSent() {
    WebhookUrl url =
        WebhookUrl.parse("http://localhost:" + server.getAddress().getPort() + "/ok", true);
    Attempt attempt = transport.post(url, List.of(), Map.of(), new byte[0]);
    assertThat(attempt).isInstanceOf(Attempt.NoAnswer.class);
    assertThat(seen).isEmpty();
  }

  @Test
  void aReceiverThatHangsIsGivenUpAtTheTimeout() {
    long started = System.nanoTime();
    Attempt attempt = post("/hang");
    long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertThat(attempt).isInstanceOf(Attempt.NoAnswer.class);
    assertThat(took).isLessThan(4_000);
  }

  @Test
  void aTenMegabyteAnswerIsReadOnlyToTheCap() {
    long started = System.nanoTime();
    assertThat(post("/huge")).isEqualTo(new Attempt.Answered(200, Optional.empty()));
    assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).isLessThan(4_000);
    assertThat(WebhookTransport.MAX_RESPONSE_BYTES).isLessThan(10 * 1024 * 1024);
  }

  @Test
  void aRedirectIsReportedAndNotFollowed() {
    assertThat(post("/redirect")).isEqualTo(new Attempt.Answered(302, Optional.empty()));
    assertThat(redirectTargetHits).hasValue(0);
  }

  @Test
  void retryAfterIsReadInSecondsOrAsADate() {
    assertThat(post("/busy"))
        .isEqualTo(new Attempt.Answered(429, Optional.of(Duration.ofSeconds(120))));
    assertThat(PinnedWebhookTransport.retryAfter(new BasicHeader("Retry-After", "soon"))).isEmpty();
    assertThat(
            PinnedWebhookTransport.retryAfter(
                new BasicHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")))
        .as("a date in the past asks for no wait")
        .isEmpty();
  }
}
