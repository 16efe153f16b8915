package dev.cirrus.shared.adapter.webhooks;

import dev.cirrus.shared.webhooks.DeliveryPolicy.Attempt;
import dev.cirrus.shared.webhooks.WebhookTransport;
import dev.cirrus.shared.webhooks.WebhookUrl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * {@link WebhookTransport} on Apache HttpClient 5. Its {@link DnsResolver} answers only with the
 * addresses the caller checked for this request, so the client never looks a name up itself: the
 * connection goes to a checked address while TLS still sees the name (SNI and the certificate
 * check) and so does the {@code Host} header. Redirects are not followed, connections are not
 * reused, the whole exchange is cancelled after the timeout and the answer is read to the cap.
 */
public final class PinnedWebhookTransport implements WebhookTransport, AutoCloseable {
  private final ThreadLocal<List<InetAddress>> pinned = new ThreadLocal<>();
  private final CloseableHttpClient client;
  private final ScheduledExecutorService deadlines;
  private final Duration timeout;

  public PinnedWebhookTransport() {
    this(TIMEOUT);
  }

  /** With another timeout: the tests' hanging receivers are given up sooner. */
  public PinnedWebhookTransport(Duration timeout) {
    this.timeout = timeout;
    DnsResolver onlyChecked =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String host) throws UnknownHostException {
            List<InetAddress> addresses = pinned.get();
            if (addresses == null || addresses.isEmpty()) {
              throw new UnknownHostException(host + ": no checked address for this request");
            }
            return addresses.toArray(InetAddress[]::new);
          }

          @Override
          public String resolveCanonicalHostname(String host) {
            return host;
          }
        };
    Timeout limit = Timeout.of(timeout);
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setDnsResolver(onlyChecked)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(limit)
                            .setSocketTimeout(limit)
                            .build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom().setRedirectsEnabled(false).setResponseTimeout(limit).build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableConnectionState()
            .disableCookieManagement()
            .setConnectionReuseStrategy((request, response, context) -> false)
            .setUserAgent("Cirrus-Webhooks/1")
            .build();
    this.deadlines =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhook-deadlines");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Attempt post(
      WebhookUrl url, List<InetAddress> addresses, Map<String, String> headers, byte[] body) {
    HttpPost post = new HttpPost(url.uri());
    headers.forEach(post::setHeader);
    post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    // A receiver that trickles a byte every few seconds never trips the socket timeout: the
    // deadline ends the exchange whatever it is doing.
    ScheduledFuture<?> deadline =
        deadlines.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
    pinned.set(List.copyOf(addresses));
    try {
      return client.execute(post, this::answer);
    } catch (IOException | RuntimeException e) {
      if (post.isCancelled()) {
        return new Attempt.NoAnswer("no answer within " + timeout.toSeconds() + " s");
      }
      return new Attempt.NoAnswer(describe(e));
    } finally {
      pinned.remove();
      deadline.cancel(false);
    }
  }

  private Attempt answer(ClassicHttpResponse response) throws IOException {
    if (response.getEntity() != null) {
      try (InputStream in = response.getEntity().getContent()) {
        // Read to the cap and stop: the rest is never buffered, and no connection is reused.
        in.readNBytes(MAX_RESPONSE_BYTES);
      }
    }
    return new Attempt.Answered(
        response.getCode(), retryAfter(response.getFirstHeader("Retry-After")));
  }

  /**
   * The system's resolver, for {@code WebhookUrl.addresses}: the one lookup of a delivery, whose
   * answers are checked and then pinned.
   */
  public static List<InetAddress> systemLookup(String host) throws UnknownHostException {
    return List.of(InetAddress.getAllByName(host));
  }

  /** {@code Retry-After} as seconds or as an HTTP date; anything else is ignored. */
  static Optional<Duration> retryAfter(Header header) {
    if (header == null) {
      return Optional.empty();
    }
    String value = header.getValue().trim();
    if (value.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return wait.isNegative() ? Optional.empty() : Optional.of(wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    return e.getClass().getSimpleName() + message;
  }

  @Override
  public void close() throws IOException {
    deadlines.shutdownNow();
    client.close();
  }
}
