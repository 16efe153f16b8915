package dev.cirrus.shared.webhooks;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Port: sends one delivery over HTTP. The caller has resolved and checked the host already: the
 * adapter connects only to {@code addresses} (never looking the name up again), keeps the name for
 * TLS (SNI and the certificate check) and the {@code Host} header, follows no redirect, gives up
 * after {@link #TIMEOUT} and reads at most {@link #MAX_RESPONSE_BYTES} of the answer.
 */
public interface WebhookTransport {
  Duration TIMEOUT = Duration.ofSeconds(10);
  int MAX_RESPONSE_BYTES = 64 * 1024;

  DeliveryPolicy.Attempt post(
      WebhookUrl url, List<InetAddress> addresses, Map<String, String> headers, byte[] body);
}
