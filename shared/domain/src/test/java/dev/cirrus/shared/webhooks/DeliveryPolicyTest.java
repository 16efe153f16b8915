package dev.cirrus.shared.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.webhooks.DeliveryPolicy.Attempt;
import dev.cirrus.shared.webhooks.DeliveryPolicy.Next;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {
  private final Instant now = Instant.parse("2026-12-05T10:00:00Z");

  private static Attempt answered(int status) {
    return new Attempt.Answered(status, Optional.empty());
  }

  @Test
  void aTwoHundredDeliversAndAnotherFourHundredGivesUpAtOnce() {
    assertThat(DeliveryPolicy.after(1, answered(204), now)).isInstanceOf(Next.Delivered.class);
    assertThat(DeliveryPolicy.after(1, answered(404), now)).isInstanceOf(Next.GiveUp.class);
    assertThat(DeliveryPolicy.after(1, new Attempt.Refused("10.0.0.1 is private"), now))
        .isEqualTo(new Next.GiveUp("10.0.0.1 is private"));
  }

  @Test
  void timeoutsServerErrorsAndTooManyRequestsAreRetriedForAboutADay() {
    Instant at = now;
    Duration total = Duration.ZERO;
    int attempt = 1;
    Next next = DeliveryPolicy.after(attempt, answered(503), at);
    while (next instanceof Next.RetryAt retry) {
      total = total.plus(Duration.between(at, retry.at()));
      at = retry.at();
      attempt++;
      next =
          DeliveryPolicy.after(
              attempt, attempt % 2 == 0 ? new Attempt.NoAnswer("timed out") : answered(429), at);
    }
    assertThat(attempt).isEqualTo(8);
    assertThat(next).isInstanceOf(Next.GiveUp.class);
    assertThat(total).isBetween(Duration.ofHours(24), Duration.ofHours(30));
  }

  @Test
  void retryAfterIsHonouredWhenItAsksForLongerUpToTheLongestStep() {
    Attempt later = new Attempt.Answered(429, Optional.of(Duration.ofMinutes(20)));
    assertThat(DeliveryPolicy.after(1, later, now))
        .isEqualTo(new Next.RetryAt(now.plus(Duration.ofMinutes(20))));
    Attempt sooner = new Attempt.Answered(503, Optional.of(Duration.ofSeconds(1)));
    assertThat(DeliveryPolicy.after(2, sooner, now))
        .isEqualTo(new Next.RetryAt(now.plus(Duration.ofMinutes(5))));
    Attempt forever = new Attempt.Answered(429, Optional.of(Duration.ofDays(30)));
    assertThat(DeliveryPolicy.after(1, forever, now))
        .isEqualTo(new Next.RetryAt(now.plus(Duration.ofHours(10))));
  }

  @Test
  void anEndpointFailingForThreeDaysIsDisabled() {
    assertThat(DeliveryPolicy.disables(Optional.empty(), now)).isFalse();
    assertThat(DeliveryPolicy.disables(Optional.of(now.minus(Duration.ofDays(2))), now)).isFalse();
    assertThat(DeliveryPolicy.disables(Optional.of(now.minus(Duration.ofDays(3))), now)).isTrue();
  }
}
