package dev.cirrus.shared.appcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.config.AppCheckPolicy;
import dev.cirrus.shared.config.ConfigException;
import dev.cirrus.shared.config.RouteClass;
import dev.cirrus.shared.error.Unauthenticated;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppCheckGateTest {
  private final AtomicInteger verified = new AtomicInteger();
  private final AppCheckVerifier verifier =
      token -> {
        verified.incrementAndGet();
        if (!token.equals("good")) {
          throw new Unauthenticated("app-check-failed", "forged");
        }
        return new AppCheckToken("app-1", Instant.parse("2030-01-01T00:00:00Z"));
      };

  private AppCheckGate gate(Map<String, String> env) {
    return new AppCheckGate(AppCheckPolicy.fromEnvironment(env), verifier);
  }

  @Test
  void offReadsNoTokenAtAll() {
    AppCheckGate gate = gate(Map.of());
    assertThat(gate.check(RouteClass.WRITE, Optional.of("forged")).outcome())
        .isEqualTo(AppCheckGate.Outcome.SKIPPED);
    assertThat(verified).hasValue(0);
  }

  @Test
  void monitorLetsEverythingThroughAndCountsWhatWasWrong() {
    AppCheckGate gate =
        gate(Map.of("CIRRUS_APP_CHECK", "monitor", "CIRRUS_APP_CHECK_PROJECT_NUMBER", "42"));
    assertThat(gate.check(RouteClass.READ, Optional.empty()).outcome())
        .isEqualTo(AppCheckGate.Outcome.MISSING);
    assertThat(gate.check(RouteClass.READ, Optional.of("forged")).outcome())
        .isEqualTo(AppCheckGate.Outcome.INVALID);
    assertThat(gate.check(RouteClass.READ, Optional.of("good")).token())
        .hasValueSatisfying(t -> assertThat(t.appId()).isEqualTo("app-1"));
    assertThat(gate.count(AppCheckGate.Outcome.MISSING)).isEqualTo(1);
    assertThat(gate.count(AppCheckGate.Outcome.INVALID)).isEqualTo(1);
    assertThat(gate.count(AppCheckGate.Outcome.VALID)).isEqualTo(1);
  }

  @Test
  void enforceRefusesAMissingOrInvalidTokenAsAppCheckFailed() {
    AppCheckGate gate =
        gate(
            Map.of(
                "CIRRUS_APP_CHECK", "monitor",
                "CIRRUS_APP_CHECK_UPLOADS", "enforce",
                "CIRRUS_APP_CHECK_PROJECT_NUMBER", "42"));
    for (Optional<String> token : new Optional[] {Optional.empty(), Optional.of("forged")}) {
      assertThatThrownBy(() -> gate.check(RouteClass.UPLOAD, token))
          .isInstanceOfSatisfying(
              Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("app-check-failed"));
    }
    assertThat(gate.check(RouteClass.UPLOAD, Optional.of("good")).outcome())
        .isEqualTo(AppCheckGate.Outcome.VALID);
    assertThat(gate.check(RouteClass.WRITE, Optional.empty()).outcome())
        .as("writes only monitor")
        .isEqualTo(AppCheckGate.Outcome.MISSING);
  }

  @Test
  void aBadModeOrAMissingProjectNumberIsAStartUpErrorNamingTheVariable() {
    assertThatThrownBy(() -> AppCheckPolicy.fromEnvironment(Map.of("CIRRUS_APP_CHECK", "strict")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIRRUS_APP_CHECK must be off, monitor or enforce");
    assertThatThrownBy(
            () -> AppCheckPolicy.fromEnvironment(Map.of("CIRRUS_APP_CHECK_READS", "enforce")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIRRUS_APP_CHECK_PROJECT_NUMBER");
    assertThatThrownBy(
            () ->
                AppCheckPolicy.fromEnvironment(
                    Map.of(
                        "CIRRUS_APP_CHECK", "enforce",
                        "CIRRUS_APP_CHECK_PROJECT_NUMBER", "demo-cirrus")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("digits");
  }
}
