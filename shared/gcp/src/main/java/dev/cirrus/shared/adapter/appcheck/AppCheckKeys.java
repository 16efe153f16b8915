package dev.cirrus.shared.adapter.appcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.error.Unavailable;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The App Check JSON Web Key Set, fetched when first needed and kept for as long as its {@code
 * Cache-Control: max-age} says. A key id the set does not hold makes it fetch again (keys rotate),
 * at most once a minute, so a stream of forged key ids cannot turn into a stream of fetches. When a
 * refresh fails, the keys it had stay in use for an hour past their age.
 */
final class AppCheckKeys {
  private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age=(\\d+)");
  private static final Duration DEFAULT_AGE = Duration.ofHours(1);
  private static final Duration LONGEST_AGE = Duration.ofHours(24);
  private static final Duration STALE_GRACE = Duration.ofHours(1);
  private static final Duration REFETCH_UNKNOWN_KID = Duration.ofMinutes(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_BYTES = 64 * 1024;

  private record KeySet(Map<String, RSAPublicKey> byId, Instant fetchedAt, Instant freshUntil) {}

  private final URI url;
  private final Supplier<HttpClient> http;
  private final ObjectMapper mapper;
  private final Clock clock;
  private volatile KeySet keys;
  private volatile Instant lastFetch = Instant.MIN;

  AppCheckKeys(URI url, Supplier<HttpClient> http, ObjectMapper mapper, Clock clock) {
    this.url = url;
    this.http = http;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** The key with this id, if the set holds it. */
  Optional<RSAPublicKey> key(String kid) {
    Instant now = clock.instant();
    KeySet current = keys;
    if (current == null || now.isAfter(current.freshUntil())) {
      current = refresh(now, current);
    }
    RSAPublicKey key = current.byId().get(kid);
    if (key == null && now.isAfter(lastFetch.plus(REFETCH_UNKNOWN_KID))) {
      current = refresh(now, current);
      key = current.byId().get(kid);
    }
    return Optional.ofNullable(key);
  }

  private synchronized KeySet refresh(Instant now, KeySet seen) {
    if (keys != seen) {
      return keys; // another thread refreshed meanwhile
    }
    lastFetch = now;
    try {
      keys = fetch(now);
      return keys;
    } catch (IOException | RuntimeException e) {
      if (seen != null && now.isBefore(seen.freshUntil().plus(STALE_GRACE))) {
        return seen;
      }
      throw new Unavailable("cannot fetch the App Check keys from " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while fetching the App Check keys", e);
    }
  }

  private KeySet fetch(Instant now) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.get()
            .send(
                HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("the App Check keys answered " + response.statusCode());
    }
    if (response.body().length > MAX_BYTES) {
      throw new IOException("the App Check key set is larger than " + MAX_BYTES + " bytes");
    }
    Map<String, RSAPublicKey> byId = new HashMap<>();
    for (JsonNode jwk : mapper.readTree(response.body()).path("keys")) {
      if ("RSA".equals(jwk.path("kty").asText()) && jwk.path("kid").isTextual()) {
        byId.put(jwk.path("kid").asText(), rsa(jwk));
      }
    }
    if (byId.isEmpty()) {
      throw new IOException("the App Check key set holds no RSA key");
    }
    Duration age =
        response
            .headers()
            .firstValue("Cache-Control")
            .map(MAX_AGE::matcher)
            .filter(Matcher::find)
            .map(m -> Duration.ofSeconds(Long.parseLong(m.group(1))))
            .map(d -> d.compareTo(LONGEST_AGE) > 0 ? LONGEST_AGE : d)
            .orElse(DEFAULT_AGE);
    return new KeySet(Map.copyOf(byId), now, now.plus(age));
  }

  private static RSAPublicKey rsa(JsonNode jwk) throws IOException {
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      BigInteger n = new BigInteger(1, b64.decode(jwk.path("n").asText()));
      BigInteger e = new BigInteger(1, b64.decode(jwk.path("e").asText()));
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    } catch (GeneralSecurityException | IllegalArgumentException ex) {
      throw new IOException("an App Check key is not an RSA public key", ex);
    }
  }
}
