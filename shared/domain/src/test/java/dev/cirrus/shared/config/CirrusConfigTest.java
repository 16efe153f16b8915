package dev.cirrus.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
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
  void firestoreIsReachedOverRestUnlessGrpcIsAsked() {
    assertThat(
            CirrusConfig.fromEnvironment(Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod"))
                .firestoreTransport())
        .isEqualTo(FirestoreTransport.REST);
    assertThat(
            CirrusConfig.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT",
                        "cirrus-prod",
                        "CIRRUS_FIRESTORE_TRANSPORT",
                        "gRPC"))
                .firestoreTransport())
        .isEqualTo(FirestoreTransport.GRPC);
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT",
                        "cirrus-prod",
                        "CIRRUS_FIRESTORE_TRANSPORT",
                        "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIRRUS_FIRESTORE_TRANSPORT");
  }

  @Test
  void aStorageRetryTestIsNamedOnlyAgainstTheStorageEmulator() {
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "cirrus-prod",
                        "CIRRUS_STORAGE_RETRY_TEST_ID", "faults")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CIRRUS_STORAGE_RETRY_TEST_ID");
    CirrusConfig config =
        CirrusConfig.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "demo-cirrus",
                "STORAGE_EMULATOR_HOST", "http://127.0.0.1:9199",
                "CIRRUS_STORAGE_RETRY_TEST_ID", "faults"));
    assertThat(config.storageRetryTestId()).contains("faults");
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
  void theUserCacheIsOnByDefaultAndABadTtlNamesItsVariable() {
    CirrusConfig config =
        CirrusConfig.fromEnvironment(Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod"));
    assertThat(config.userCache().shared()).isEqualTo(UserCachePolicy.DEFAULT_SHARED);
    assertThat(config.userCache().near()).isEqualTo(UserCachePolicy.DEFAULT_NEAR);
    assertThat(
            CirrusConfig.fromEnvironment(
                    Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod", "CIRRUS_USER_CACHE_SECONDS", "0"))
                .userCache()
                .enabled())
        .isFalse();
    for (var bad :
        List.of(
            Map.entry("CIRRUS_USER_CACHE_SECONDS", "-1"),
            Map.entry("CIRRUS_USER_CACHE_SECONDS", "7200"),
            Map.entry("CIRRUS_USER_CACHE_LOCAL_MS", "-5"),
            Map.entry("CIRRUS_USER_CACHE_LOCAL_MS", "60000"))) {
      assertThatThrownBy(
              () ->
                  CirrusConfig.fromEnvironment(
                      Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod", bad.getKey(), bad.getValue())))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad.getKey());
    }
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

  @Test
  void blankAuthEmulatorHostIsRefusedOutsideDemoProjects() {
    // The Admin SDK enters emulator mode (unsigned tokens) for any non-empty value, a space too.
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "cirrus-prod",
                        "FIREBASE_AUTH_EMULATOR_HOST", " ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FIREBASE_AUTH_EMULATOR_HOST");
  }

  @Test
  void blankAuthEmulatorHostIsRefusedInDemoProjectsToo() {
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "demo-cirrus",
                        "FIREBASE_AUTH_EMULATOR_HOST", " ")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FIREBASE_AUTH_EMULATOR_HOST");
  }

  @Test
  void anyEmulatorVariableIsRefusedOutsideDemoProjects() {
    for (String name :
        new String[] {
          "FIRESTORE_EMULATOR_HOST",
          "PUBSUB_EMULATOR_HOST",
          "STORAGE_EMULATOR_HOST",
          "FIREBASE_STORAGE_EMULATOR_HOST",
          "DATASTORE_EMULATOR_HOST"
        }) {
      assertThatThrownBy(
              () ->
                  CirrusConfig.fromEnvironment(
                      Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod", name, "127.0.0.1:8080")))
          .as(name)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(name);
    }
  }

  @Test
  void emptyEmulatorVariablesAreUnset() {
    CirrusConfig config =
        CirrusConfig.fromEnvironment(
            Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod", "FIRESTORE_EMULATOR_HOST", ""));
    assertThat(config.firestoreEmulatorHost()).isEmpty();
  }

  @Test
  void verifiedTokensAreTrustedFiveMinutesByDefault() {
    CirrusConfig config =
        CirrusConfig.fromEnvironment(Map.of("GOOGLE_CLOUD_PROJECT", "cirrus-prod"));
    assertThat(config.tokenCacheMaxAge()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void tokenCacheAgeIsConfigurableWithinBounds() {
    assertThat(
            CirrusConfig.fromEnvironment(
                    Map.of("GOOGLE_CLOUD_PROJECT", "demo-x1", "CIRRUS_TOKEN_CACHE_SECONDS", "2"))
                .tokenCacheMaxAge())
        .isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of(
                        "GOOGLE_CLOUD_PROJECT", "demo-x1", "CIRRUS_TOKEN_CACHE_SECONDS", "3600")))
        .hasMessageContaining("CIRRUS_TOKEN_CACHE_SECONDS");
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of("GOOGLE_CLOUD_PROJECT", "demo-x1", "CIRRUS_TOKEN_CACHE_SECONDS", "-1")))
        .hasMessageContaining("CIRRUS_TOKEN_CACHE_SECONDS");
  }
}
