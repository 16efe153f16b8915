package dev.cirrus.shared.adapter.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.FcmError;
import dev.cirrus.local.emulators.FcmFake;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.notifications.PushSender;
import dev.cirrus.shared.notifications.PushSender.Push;
import dev.cirrus.shared.notifications.PushSenderContract;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.users.DevicePlatform;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on the real Admin SDK, its HTTP transport pointed at the FCM fake: the assertions
 * are on what the SDK put on the wire and on how it read FCM's error bodies.
 */
class FcmPushSenderTest extends PushSenderContract {
  private static FcmFake fcm;
  private static GcpClients clients;
  private static FcmPushSender sender;

  @BeforeAll
  static void start() throws IOException {
    fcm = new FcmFake(0, Clock.systemUTC(), line -> {});
    clients =
        new GcpClients(
            CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT", "demo-cirrus-fcm",
                    "K_SERVICE", "fcm-test",
                    "FCM_EMULATOR_HOST", fcm.host())));
    sender = new FcmPushSender(clients.messaging());
  }

  @AfterAll
  static void stop() {
    fcm.close();
  }

  @Override
  protected PushSender sender() {
    return sender;
  }

  @Override
  protected void unregister(String token) {
    fcm.breakToken(token, FcmError.UNREGISTERED);
  }

  @Override
  protected void overQuotaOnce(String token) {
    fcm.failNext(token, FcmError.QUOTA_EXCEEDED, 1);
  }

  @Override
  protected int acceptedFor(String token) {
    return fcm.acceptedFor(token);
  }

  @Test
  void theMessageCarriesNotificationDataAndPlatformOptions() {
    StoredNotification n =
        new StoredNotification(
            StoredNotification.idFor("request:r-1"),
            "promo.spring",
            "Spring sale",
            "Everything half price.",
            Map.of("campaign", "spring"),
            Instant.parse("2026-12-01T10:00:00Z"),
            Optional.empty());
    String token = "tok-wire-" + System.nanoTime();
    assertThat(
            sender.send(List.of(new Push("u1/d1", token, DevicePlatform.IOS, n))).get(0).status())
        .isEqualTo(PushSender.Status.SENT);

    JsonNode message = fcm.sentTo(token).get(0).message();
    assertThat(message.path("notification").path("title").asText()).isEqualTo("Spring sale");
    assertThat(message.path("notification").path("body").asText())
        .isEqualTo("Everything half price.");
    assertThat(message.path("data").path("campaign").asText()).isEqualTo("spring");
    assertThat(message.path("data").path("notificationId").asText()).isEqualTo(n.id());
    assertThat(message.path("data").path("notificationType").asText()).isEqualTo("promo.spring");
    assertThat(message.path("android").path("priority").asText()).isEqualTo("high");
    assertThat(message.path("android").path("ttl").asText()).isEqualTo("86400s");
    assertThat(message.path("android").path("notification").path("tag").asText()).isEqualTo(n.id());
    assertThat(message.path("apns").path("headers").path("apns-collapse-id").asText())
        .isEqualTo(n.id());
    assertThat(message.path("apns").path("headers").path("apns-priority").asText()).isEqualTo("10");
    assertThat(message.path("apns").path("payload").path("aps").path("sound").asText())
        .isEqualTo("default");
  }

  @Test
  void aTokenFcmCallsInvalidIsGoneButOnlyWhenFcmNamesTheToken() {
    String invalid = "tok-invalid-" + System.nanoTime();
    fcm.breakToken(invalid, FcmError.INVALID_TOKEN);
    StoredNotification n =
        new StoredNotification(
            StoredNotification.idFor("x"),
            "file.ready",
            "t",
            "b",
            Map.of(),
            Instant.EPOCH,
            Optional.empty());
    PushSender.Result result =
        sender.send(List.of(new Push("u/d", invalid, DevicePlatform.ANDROID, n))).get(0);
    assertThat(result.status()).isEqualTo(PushSender.Status.TOKEN_GONE);
    assertThat(result.detail()).startsWith("INVALID_ARGUMENT");
  }

  private static StoredNotification withData(Map<String, String> data) {
    return new StoredNotification(
        StoredNotification.idFor("r-" + System.nanoTime()),
        "promo.big",
        "t",
        "b",
        data,
        Instant.EPOCH,
        Optional.empty());
  }

  @Test
  void aMessageOverFcmsPayloadLimitFailsAndKeepsTheToken() {
    String token = "tok-big-" + System.nanoTime();
    PushSender.Result result =
        sender
            .send(
                List.of(
                    new Push(
                        "u/d",
                        token,
                        DevicePlatform.ANDROID,
                        withData(Map.of("blob", "x".repeat(4_100))))))
            .get(0);
    assertThat(result.status()).isEqualTo(PushSender.Status.FAILED);
    assertThat(result.detail()).contains("too big");
    assertThat(fcm.acceptedFor(token)).isZero();
  }

  @Test
  void aDataKeyFcmReservesFailsAndKeepsTheToken() {
    String token = "tok-reserved-" + System.nanoTime();
    PushSender.Result result =
        sender
            .send(
                List.of(
                    new Push(
                        "u/d", token, DevicePlatform.IOS, withData(Map.of("google.c.a", "1")))))
            .get(0);
    assertThat(result.status()).isEqualTo(PushSender.Status.FAILED);
    assertThat(fcm.acceptedFor(token)).isZero();
  }

  @Test
  void aTokenFcmNeverIssuedIsGone() {
    PushSender.Result result =
        sender
            .send(List.of(new Push("u/d", "not a token!", DevicePlatform.WEB, withData(Map.of()))))
            .get(0);
    assertThat(result.status()).isEqualTo(PushSender.Status.TOKEN_GONE);
  }
}
