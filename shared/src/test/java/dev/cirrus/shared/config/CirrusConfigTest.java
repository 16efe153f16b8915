package dev.cirrus.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CirrusConfigTest {

  @Test
  void authEmulatorIsRefusedOutsideDemoProjects() {
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "cirrus-prod",
                        "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FIREBASE_AUTH_EMULATOR_HOST")
        .hasMessageContaining("demo-");
  }

  @Test
  void authEmulatorIsAcceptedInDemoProjects() {
    CirrusConfig config =
        CirrusConfig.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "demo-cirrus",
                "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099"));
    assertThat(config.usesAuthEmulator()).isTrue();
  }

  @Test
  void productionProjectWithoutEmulatorVerifiesRealTokens() {
    CirrusConfig config =
        CirrusConfig.fromEnvironment(Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod"));
    assertThat(config.usesAuthEmulator()).isFalse();
    assertThat(config.uploadsBucket()).isEqualTo("cirrus-prod-uploads");
    assertThat(config.limits()).isEqualTo(Limits.DEFAULTS);
  }

  @Test
  void missingProjectNamesTheVariable() {
    assertThatThrownBy(() -> CirrusConfig.fromEnvironment(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GOOGLE_CLOUD_PROJECT");
  }

  @Test
  void malformedNumbersAndHostsNameTheVariable() {
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of("GOOGLE_CLOUD_PROJECT", "demo-x1", "CIRRUS_MAX_REQUEST_BYTES", "lots")))
        .hasMessageContaining("CIRRUS_MAX_REQUEST_BYTES");
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of("GOOGLE_CLOUD_PROJECT", "demo-x1", "FIRESTORE_EMULATOR_HOST", "nope")))
        .hasMessageContaining("FIRESTORE_EMULATOR_HOST");
  }
}
