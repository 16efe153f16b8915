package dev.cirrus.shared.http;

import com.google.cloud.functions.HttpRequest;
import dev.cirrus.shared.error.PermissionDenied;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Proof that a request came through the edge. API Gateway has no ingress setting: its own {@code
 * *.gateway.dev} address stays open however the load balancer in front of it is configured, and a
 * request sent there skips Cloud Armor (cloud.google.com/api-gateway/docs/gateway-load-balancing,
 * "Limitations"). So the load balancer adds a secret header to every request it forwards (a backend
 * service's custom request header), API Gateway passes it on, and a function with {@code
 * CIRRUS_EDGE_KEY} set refuses any request that lacks it, before any other work.
 */
final class EdgeGate {
  /** The header the load balancer adds (infra/edge.tf) and the local gateway adds likewise. */
  static final String HEADER = "X-Cirrus-Edge";

  private final Optional<byte[]> key;

  EdgeGate(Optional<String> key) {
    this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws PermissionDenied {@code edge-required} when a key is configured and the request does
   *     not carry it
   */
  void check(HttpRequest request) {
    if (key.isEmpty()) {
      return;
    }
    // Any of the values: a client may send the header too, and whether the load balancer then
    // replaces it or adds its own beside it, one of them is the load balancer's.
    boolean carried =
        request.getHeaders().entrySet().stream()
            .filter(h -> h.getKey().equalsIgnoreCase(HEADER))
            .flatMap(h -> h.getValue().stream())
            // Constant time: how much of the key a guess got right must not show in the timing.
            .anyMatch(v -> MessageDigest.isEqual(v.getBytes(StandardCharsets.UTF_8), key.get()));
    if (!carried) {
      throw new PermissionDenied(
          "edge-required", "this API is reached through its public address only");
    }
  }
}
