package dev.cirrus.shared.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An endpoint's signing secrets: the current one, and after a rotation the previous one, which
 * keeps signing beside it for {@link #OVERLAP} so a receiver can switch without losing a delivery.
 *
 * @param previousUntil when the previous secret stops signing
 */
public record SigningSecrets(
    String current, Optional<String> previous, Optional<Instant> previousUntil) {
  public static final Duration OVERLAP = Duration.ofHours(24);

  /** Bytes of a secret: 256 bits, as HMAC-SHA256 wants. */
  static final int BYTES = 32;

  /** A first secret. */
  public static SigningSecrets fresh(RandomGenerator random) {
    return new SigningSecrets(generate(random), Optional.empty(), Optional.empty());
  }

  /** A new current secret; the old one signs beside it until {@code now + OVERLAP}. */
  public SigningSecrets rotated(RandomGenerator random, Instant now) {
    return new SigningSecrets(
        generate(random), Optional.of(current), Optional.of(now.plus(OVERLAP)));
  }

  /** The secrets a delivery at {@code now} is signed with: the current one first. */
  public List<String> signingAt(Instant now) {
    List<String> secrets = new ArrayList<>(List.of(current));
    if (previous.isPresent() && previousUntil.filter(now::isBefore).isPresent()) {
      secrets.add(previous.get());
    }
    return List.copyOf(secrets);
  }

  private static String generate(RandomGenerator random) {
    byte[] key = new byte[BYTES];
    random.nextBytes(key);
    return WebhookSignature.PREFIX + Base64.getEncoder().encodeToString(key);
  }
}
