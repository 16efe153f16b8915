package dev.cirrus.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.config.ConfigException;
import dev.cirrus.shared.config.RateLimitPolicy;
import dev.cirrus.shared.config.RouteClass;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitPolicyTest {
  @Test
  void anAddressGetsMoreThanAUserInEveryClass() {
    for (RouteClass c : RouteClass.values()) {
      assertThat(RateLimitPolicy.DEFAULTS.forAddress(c).perSecond())
          .isGreaterThan(RateLimitPolicy.DEFAULTS.forUser(c).perSecond() * 5);
    }
  }

  @Test
  void budgetsAreReadFromTheEnvironment() {
    RateLimitPolicy policy =
        RateLimitPolicy.fromEnvironment(Map.of("CIRRUS_RATE_UPLOADS_PER_ADDRESS", " 20 / 60s "));
    assertThat(policy.forAddress(RouteClass.UPLOAD).capacity()).isEqualTo(20);
    assertThat(policy.forAddress(RouteClass.UPLOAD).refill()).isEqualTo(Duration.ofSeconds(60));
    assertThat(RateLimitPolicy.fromEnvironment(Map.of("CIRRUS_RATE_LIMITS", "off")).enabled())
        .isFalse();
  }

  @Test
  void zeroNegativeOrMalformedBudgetsAreAStartUpErrorNamingTheVariable() {
    for (String bad : new String[] {"0/60s", "-5/60s", "10/0s", "10", "ten/60s", "10/-1s"}) {
      assertThatThrownBy(
              () -> RateLimitPolicy.fromEnvironment(Map.of("CIRRUS_RATE_READS_PER_USER", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("CIRRUS_RATE_READS_PER_USER");
    }
    assertThatThrownBy(() -> RateLimitPolicy.fromEnvironment(Map.of("CIRRUS_RATE_LIMITS", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIRRUS_RATE_LIMITS");
    assertThatThrownBy(
            () -> RateLimitPolicy.fromEnvironment(Map.of("CIRRUS_RATE_ADDRESS_HOP", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIRRUS_RATE_ADDRESS_HOP");
  }

  @Test
  void theClientAddressIsTheTrustedHopAndIpv6CountsByItsSlash64() {
    assertThat(ClientAddress.bucketOf(Optional.of("10.0.0.1, 203.0.113.7"), 1))
        .isEqualTo("203.0.113.7");
    assertThat(ClientAddress.bucketOf(Optional.of("spoofed, 203.0.113.7, 35.191.0.1"), 2))
        .isEqualTo("203.0.113.7");
    assertThat(ClientAddress.bucketOf(Optional.of("2001:db8:1:2:aaaa::1"), 1))
        .isEqualTo(ClientAddress.bucketOf(Optional.of("2001:db8:1:2:bbbb:cccc:dddd:eeee"), 1))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.bucketOf(Optional.of("::ffff:203.0.113.7"), 1))
        .isEqualTo("v4:cb00:7107");
    assertThat(ClientAddress.bucketOf(Optional.of("evil.example"), 1)).isEqualTo("unknown");
    assertThat(ClientAddress.bucketOf(Optional.of("1:2:3:4:5:6:7:8:9"), 1)).isEqualTo("unknown");
    assertThat(ClientAddress.bucketOf(Optional.empty(), 1)).isEqualTo("unknown");
    assertThat(ClientAddress.bucketOf(Optional.of("203.0.113.7"), 2)).isEqualTo("unknown");
  }
}
