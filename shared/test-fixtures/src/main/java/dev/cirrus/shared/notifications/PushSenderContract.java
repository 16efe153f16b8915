package dev.cirrus.shared.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.notifications.PushSender.Push;
import dev.cirrus.shared.notifications.PushSender.Result;
import dev.cirrus.shared.notifications.PushSender.Status;
import dev.cirrus.shared.users.DevicePlatform;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link PushSender} must have; one subclass per adapter. */
public abstract class PushSenderContract {
  protected abstract PushSender sender();

  /** Makes every later push to {@code token} fail as FCM does for an uninstalled app. */
  protected abstract void unregister(String token);

  /** Makes the next push to {@code token} fail with FCM's quota error. */
  protected abstract void overQuotaOnce(String token);

  /** How many pushes to {@code token} were accepted. */
  protected abstract int acceptedFor(String token);

  private static final StoredNotification NOTE =
      new StoredNotification(
          StoredNotification.idFor("contract"),
          "file.ready",
          "Upload ready",
          "cat.jpg is ready.",
          Map.of("fileId", "f1"),
          Instant.parse("2026-12-01T10:00:00Z"),
          Optional.empty());

  private static Push push(String token) {
    return new Push("u/" + token, token, DevicePlatform.ANDROID, NOTE);
  }

  private static String token() {
    return "tok-" + UUID.randomUUID();
  }

  @Test
  void eachPushGetsItsOwnResultInOrder() {
    List<Push> pushes = List.of(push(token()), push(token()), push(token()));
    List<Result> results = sender().send(pushes);
    assertThat(results).extracting(Result::push).containsExactlyElementsOf(pushes);
    assertThat(results).extracting(Result::status).containsOnly(Status.SENT);
    for (Push p : pushes) {
      assertThat(acceptedFor(p.token())).isEqualTo(1);
    }
  }

  @Test
  void anUnregisteredTokenIsReportedGoneAndTheOthersStillGo() {
    String gone = token();
    String fine = token();
    unregister(gone);
    List<Result> results = sender().send(List.of(push(gone), push(fine)));
    assertThat(results).extracting(Result::status).containsExactly(Status.TOKEN_GONE, Status.SENT);
    assertThat(acceptedFor(gone)).isZero();
    assertThat(acceptedFor(fine)).isEqualTo(1);
  }

  @Test
  void aQuotaErrorIsTransientAndTheNextTryGoesThrough() {
    String busy = token();
    overQuotaOnce(busy);
    assertThat(sender().send(List.of(push(busy))).get(0).status()).isEqualTo(Status.TRANSIENT);
    assertThat(sender().send(List.of(push(busy))).get(0).status()).isEqualTo(Status.SENT);
    assertThat(acceptedFor(busy)).isEqualTo(1);
  }

  @Test
  void moreThanOneFcmBatchIsSentWhole() {
    List<Push> pushes = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      pushes.add(push(token()));
    }
    List<Result> results = sender().send(pushes);
    assertThat(results).hasSize(501);
    assertThat(results).extracting(Result::status).containsOnly(Status.SENT);
    assertThat(acceptedFor(pushes.get(500).token())).isEqualTo(1);
  }
}
