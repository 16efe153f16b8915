package dev.cirrus.shared.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.PermissionDenied;
import dev.cirrus.shared.testing.InProcessHttp;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EdgeGateTest {
  private static final String KEY = "k".repeat(40);
  private final EdgeGate gate = new EdgeGate(Optional.of(KEY));

  @Test
  void aRequestFromTheLoadBalancerCarriesTheKeyAndPasses() {
    assertThatCode(
            () ->
                gate.check(new InProcessHttp.Request("GET", "/v1/me").header(EdgeGate.HEADER, KEY)))
        .doesNotThrowAnyException();
  }

  @Test
  void aRequestAroundTheEdgeWithoutTheKeyIsRefused() {
    assertThatThrownBy(() -> gate.check(new InProcessHttp.Request("GET", "/v1/me")))
        .isInstanceOfSatisfying(
            PermissionDenied.class, e -> assertThat(e.code()).isEqualTo("edge-required"));
  }

  @Test
  void aWrongOrTruncatedKeyIsRefused() {
    for (String guess : new String[] {KEY.substring(1), KEY + "x", "K".repeat(40), ""}) {
      assertThatThrownBy(
              () ->
                  gate.check(
                      new InProcessHttp.Request("GET", "/v1/me").header(EdgeGate.HEADER, guess)))
          .isInstanceOf(PermissionDenied.class);
    }
  }

  @Test
  void aKeyTheClientSentBesideTheLoadBalancersDoesNotHideIt() {
    assertThatCode(
            () ->
                gate.check(
                    new InProcessHttp.Request("GET", "/v1/me")
                        .header(EdgeGate.HEADER, "guess")
                        .header("x-cirrus-edge", KEY)))
        .doesNotThrowAnyException();
  }

  @Test
  void withoutAKeyConfiguredEveryRequestPasses() {
    assertThatCode(
            () -> new EdgeGate(Optional.empty()).check(new InProcessHttp.Request("GET", "/")))
        .doesNotThrowAnyException();
  }
}
