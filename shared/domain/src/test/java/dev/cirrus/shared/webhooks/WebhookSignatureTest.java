package dev.cirrus.shared.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against the Standard Webhooks specification's own test vector. */
class WebhookSignatureTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theSpecificationsVectorIsSignedAsItSays() {
    assertThat(WebhookSignature.header(List.of(SECRET), ID, TIMESTAMP, BODY))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void duringARotationBothSecretsSignAndEitherVerifies() {
    String next = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    String header = WebhookSignature.header(List.of(next, SECRET), ID, TIMESTAMP, BODY);
    assertThat(header.split(" ")).hasSize(2);
    assertThat(WebhookSignature.verifies(header, SECRET, ID, TIMESTAMP, BODY)).isTrue();
    assertThat(WebhookSignature.verifies(header, next, ID, TIMESTAMP, BODY)).isTrue();
  }

  @Test
  void aChangedBodyIdOrTimestampDoesNotVerify() {
    String header = WebhookSignature.header(List.of(SECRET), ID, TIMESTAMP, BODY);
    assertThat(WebhookSignature.verifies(header, SECRET, ID, TIMESTAMP + 1, BODY)).isFalse();
    assertThat(WebhookSignature.verifies(header, SECRET, ID + "x", TIMESTAMP, BODY)).isFalse();
    assertThat(WebhookSignature.verifies(header, SECRET, ID, TIMESTAMP, "{}".getBytes())).isFalse();
    assertThat(WebhookSignature.verifies("v1,not-base64!", SECRET, ID, TIMESTAMP, BODY)).isFalse();
  }
}
