package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.error.BadRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A webhook endpoint's URL, as registered: {@code https} with a host, no user info, no fragment, at
 * most 2,048 characters. Plain {@code http}, and loopback, only in {@code demo-} projects, where
 * the local stack's receivers live.
 */
public record WebhookUrl(URI uri) {
  public static final int MAX_LENGTH = 2048;

  /** A resolver the guard asks, once per delivery: the real DNS in production, a map in tests. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /**
   * @param demo whether the project is a {@code demo-} one
   * @throws BadRequest naming the field {@code url}
   */
  public static WebhookUrl parse(String raw, boolean demo) {
    if (raw == null || raw.isBlank() || raw.length() > MAX_LENGTH) {
      throw BadRequest.invalidField("url", "must be an https URL of at most 2048 characters");
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw BadRequest.invalidField("url", "is not a URL");
    }
    String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(demo && scheme.equals("http"))) {
      throw BadRequest.invalidField("url", "must be https");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw BadRequest.invalidField("url", "needs a host, and no user info or fragment");
    }
    return new WebhookUrl(uri);
  }

  /**
   * The addresses a delivery may connect to: every address the host resolves to, each checked
   * ({@link EgressAddresses}); one refused refuses them all, since which one a connection would use
   * is not ours to choose. The connection is then made to one of these, never to the name.
   *
   * @param demo loopback allowed too, for the local stack's receivers
   * @throws EgressRefused when the name does not resolve or an address is refused
   */
  public List<InetAddress> addresses(Resolver resolver, boolean demo) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    List<InetAddress> found;
    try {
      found = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new EgressRefused(uri.getHost() + " does not resolve");
    }
    if (found.isEmpty()) {
      throw new EgressRefused(uri.getHost() + " does not resolve");
    }
    for (InetAddress address : found) {
      if (demo && address.isLoopbackAddress()) {
        continue;
      }
      Optional<String> why = EgressAddresses.refusal(address);
      if (why.isPresent()) {
        throw new EgressRefused(
            uri.getHost() + " resolves to " + address.getHostAddress() + ": " + why.get());
      }
    }
    return List.copyOf(found);
  }

  /** A delivery that may not be made: recorded on the attempt, never retried as transient. */
  public static final class EgressRefused extends RuntimeException {
    public EgressRefused(String message) {
      super(message);
    }
  }
}
