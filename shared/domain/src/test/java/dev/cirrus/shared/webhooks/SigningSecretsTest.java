package dev.cirrus.shared.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SigningSecretsTest {
  private final SecureRandom random = new SecureRandom();
  private final Instant now = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void aSecretIsThirtyTwoRandomBytesAfterThePrefix() {
    SigningSecrets one = SigningSecrets.fresh(random);
    SigningSecrets two = SigningSecrets.fresh(random);
    assertThat(one.current()).startsWith("whsec_").isNotEqualTo(two.current());
    assertThat(Base64.getDecoder().decode(one.current().substring(6))).hasSize(32);
    assertThat(one.signingAt(now)).containsExactly(one.current());
  }

  @Test
  void afterARotationTheOldSecretSignsBesideTheNewForADayThenStops() {
    SigningSecrets before = SigningSecrets.fresh(random);
    SigningSecrets after = before.rotated(random, now);
    assertThat(after.current()).isNotEqualTo(before.current());
    assertThat(after.signingAt(now.plus(Duration.ofHours(23))))
        .containsExactly(after.current(), before.current());
    assertThat(after.signingAt(now.plus(SigningSecrets.OVERLAP))).containsExactly(after.current());

    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String header =
        WebhookSignature.header(
            after.signingAt(now.plusSeconds(60)), "msg_1", 1_700_000_000L, body);
    assertThat(WebhookSignature.verifies(header, before.current(), "msg_1", 1_700_000_000L, body))
        .as("a receiver still on the old secret")
        .isTrue();
    assertThat(WebhookSignature.verifies(header, after.current(), "msg_1", 1_700_000_000L, body))
        .isTrue();
  }
}
